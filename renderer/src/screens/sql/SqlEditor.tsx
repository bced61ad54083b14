import { sql as sqlLanguage, type SQLNamespace } from '@codemirror/lang-sql';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { useCodeMirror } from '@uiw/react-codemirror';
import { useEffect, useMemo, useRef, useState } from 'react';
import { statementAt } from '../../../../pipeline/query/statement-text';
import { useDarkMode } from '../../lib/theme';
import { DuckDB } from './duckdb-dialect';

/** The editor's own look; CodeMirror styles live inside its shadow root, where the page's CSS does not reach. */
const look = EditorView.theme({
  '&': { minHeight: '140px', maxHeight: '40vh', fontSize: '13px' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace" },
});

/**
 * The SQL editor (CodeMirror 6): DuckDB highlighting and keywords, bracket matching, completion of layers,
 * tables and columns from the catalog, and Ctrl/⌘+Enter to run the statement under the cursor.
 *
 * It is mounted in a shadow root: CodeMirror then styles itself with constructed style sheets
 * (adoptedStyleSheets), which the page's CSP (style-src 'self', no 'unsafe-inline') allows; in the document
 * itself it would add <style> elements, which that CSP blocks.
 */
export function SqlEditor(props: {
  value: string;
  onChange: (sql: string) => void;
  schema: SQLNamespace;
  /** Runs one statement: the one under the cursor. */
  onRun: (statement: string) => void;
  onView?: (view: EditorView | undefined) => void;
}) {
  const dark = useDarkMode();
  const host = useRef<HTMLDivElement>(null);
  const [shadow, setShadow] = useState<{ root: ShadowRoot; container: HTMLDivElement }>();
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const container = document.createElement('div');
    root.replaceChildren(container);
    setShadow({ root, container });
  }, []);

  // The key binding and the view callback are made once; they call whatever props are current.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const extensions = useMemo(
    () => [
      sqlLanguage({ dialect: DuckDB, schema: props.schema, upperCaseKeywords: true }),
      EditorView.contentAttributes.of({ 'aria-label': 'SQL' }),
      EditorView.lineWrapping,
      look,
      Prec.highest(
        // The ref is read when the key is pressed, never while rendering.
        // eslint-disable-next-line react-hooks/refs
        keymap.of([
          {
            key: 'Mod-Enter',
            run: (view) => {
              latest.current.onRun(statementUnderCursor(view));
              return true;
            },
          },
        ]),
      ),
    ],
    [props.schema],
  );
  const { setContainer } = useCodeMirror({
    value: props.value,
    onChange: props.onChange,
    extensions,
    theme: dark ? 'dark' : 'light',
    basicSetup: { foldGutter: false, highlightActiveLine: false },
    ...(shadow ? { root: shadow.root } : {}),
    onCreateEditor: (view) => latest.current.onView?.(view),
  });
  useEffect(() => {
    if (shadow) setContainer(shadow.container);
  }, [shadow, setContainer]);
  useEffect(() => () => latest.current.onView?.(undefined), []);
  return <div ref={host} className="sql-editor" />;
}

export function statementUnderCursor(view: EditorView): string {
  return statementAt(view.state.doc.toString(), view.state.selection.main.head);
}
