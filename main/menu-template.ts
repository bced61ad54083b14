/** The application menu as data (no electron import, so Node tests check it); menu.ts builds it. */
export interface MenuItemSpec {
  role?: string;
  label?: string;
  type?: 'separator';
  /** Opens this address in the system browser. */
  link?: string;
  submenu?: MenuItemSpec[];
}

export const DATASET_LINK =
  'https://www.kaggle.com/datasets/mkechinov/ecommerce-behavior-data-from-multi-category-store';

/** Without `devTools`, the View menu has no DevTools item and no reload (so neither has a shortcut). */
export function menuTemplate(options: { isMac: boolean; devTools: boolean }): MenuItemSpec[] {
  const view: MenuItemSpec = options.devTools
    ? { role: 'viewMenu' }
    : {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      };
  return [
    ...(options.isMac ? [{ role: 'appMenu' }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'REES46 dataset (Open CDP)', link: DATASET_LINK }] },
  ];
}
