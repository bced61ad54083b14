// SQL files are bundled as text (Vite's ?raw), so analysts read the transformations as plain SQL.
declare module '*.sql?raw' {
  const sql: string;
  export default sql;
}
