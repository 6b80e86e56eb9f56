// The open data pages' stylesheet, imported for its side effect (as catalog-css.d.ts says).
declare module '*/open-data.css';
