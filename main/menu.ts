import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuItemSpec } from './menu-template';

function toElectron(item: MenuItemSpec): MenuItemConstructorOptions {
  const { link, submenu, role, ...rest } = item;
  return {
    ...rest,
    ...(role ? { role: role as MenuItemConstructorOptions['role'] } : {}),
    ...(link ? { click: () => void shell.openExternal(link) } : {}),
    ...(submenu ? { submenu: submenu.map(toElectron) } : {}),
  };
}

export function installMenu(devTools: boolean): void {
  const template = menuTemplate({ isMac: process.platform === 'darwin', devTools });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map(toElectron)));
}
