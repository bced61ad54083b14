import { useEffect, useRef, useState } from 'react';
import type { DirectoryListing } from '../../../pipeline/contract';
import { api } from '../api/client';
import type { PickOptions } from '../api/transport';
import { formatBytes } from '../lib/format';

interface Props {
  options: PickOptions;
  startPath?: string | undefined;
  onDone: (path: string | null) => void;
}

/**
 * The browser mode's stand-in for the native dialog: it browses the machine's folders through the
 * Workbench (files.list), since a web page cannot see real paths. What it returns is granted to the page
 * for this session (files.pick); a path the page merely names is refused.
 */
export function FilePicker({ options, startPath, onDone }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [path, setPath] = useState(startPath);
  const [typed, setTyped] = useState(startPath ?? '');
  const [listing, setListing] = useState<DirectoryListing>();
  const [error, setError] = useState<string>();
  const [fileName, setFileName] = useState('');
  // Until the folder asked for is listed, the listing shown is the previous one: choosing it then would
  // pick a folder the user has just moved away from.
  const [listedFor, setListedFor] = useState<{ path: string | undefined }>();
  const loading = listedFor?.path !== path || listedFor === undefined;
  const extensions = (options.filters ?? []).flatMap((f) => f.extensions.map((e) => `.${e}`));

  // A folder the user is typing must not be replaced by a listing that arrives meanwhile.
  const editing = useRef(false);

  useEffect(() => dialogRef.current?.showModal(), []);
  useEffect(() => {
    let live = true;
    api()
      .call('files.list', {
        ...(path ? { path } : {}),
        extensions: options.mode === 'folder' ? ['/'] : extensions,
      })
      .then((value) => {
        if (!live) return;
        setListing(value);
        if (!editing.current) setTyped(value.path);
        setError(undefined);
        setListedFor({ path });
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        setListedFor({ path });
      });
    return () => {
      live = false;
    };
    // extensions derive from options, which do not change while the dialog is open
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);

  const join = (dir: string, name: string) => `${dir.replace(/[\\/]+$/, '')}/${name}`;
  const close = (value: string | null) => {
    dialogRef.current?.close();
    onDone(value);
  };
  // The Workbench grants what the picker returns (files.pick): the one way a page comes to use a path.
  const finish = (value: string) => {
    api()
      .call('files.pick', {
        path: value,
        mode: options.mode,
        ...(options.purpose ? { purpose: options.purpose } : {}),
      })
      .then((picked) => close(picked.path))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <dialog ref={dialogRef} className="file-picker" aria-label={options.title} onCancel={() => close(null)}>
      <h2>{options.title}</h2>
      <form
        className="file-picker-path"
        onSubmit={(e) => {
          e.preventDefault();
          editing.current = false;
          setPath(typed);
        }}
      >
        <button
          type="button"
          disabled={!listing?.parent}
          onClick={() => {
            if (!listing?.parent) return;
            editing.current = false;
            setPath(listing.parent);
          }}
        >
          Up
        </button>
        <input
          aria-label="Folder"
          value={typed}
          onChange={(e) => {
            editing.current = true;
            setTyped(e.target.value);
          }}
        />
        <button type="submit">Go</button>
      </form>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <ul className="file-picker-list" aria-label="Folder contents">
        {listing?.entries.map((entry) => (
          <li key={entry.name}>
            <button
              type="button"
              onClick={() => {
                if (entry.kind === 'dir') {
                  editing.current = false;
                  setPath(join(listing.path, entry.name));
                } else if (options.mode === 'save') setFileName(entry.name);
                else finish(join(listing.path, entry.name));
              }}
            >
              <span aria-hidden="true">{entry.kind === 'dir' ? '📁' : '📄'}</span> {entry.name}
              {entry.kind === 'file' && <span className="muted"> {formatBytes(entry.size)}</span>}
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 && <li className="muted">Nothing to show here.</li>}
      </ul>
      <div className="file-picker-actions">
        {options.mode === 'save' && (
          <input
            aria-label="File name"
            placeholder="file name"
            value={fileName}
            onChange={(e) => setFileName(e.target.value)}
          />
        )}
        <button type="button" onClick={() => close(null)}>
          Cancel
        </button>
        {options.mode === 'folder' && listing && (
          <button type="button" className="primary" disabled={loading} onClick={() => finish(listing.path)}>
            Choose this folder
          </button>
        )}
        {options.mode === 'save' && listing && (
          <button
            type="button"
            className="primary"
            disabled={loading || !fileName.trim()}
            onClick={() => finish(join(listing.path, fileName.trim()))}
          >
            Save here
          </button>
        )}
      </div>
    </dialog>
  );
}
