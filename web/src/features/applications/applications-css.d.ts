// The workbench's approval pages' stylesheet is imported for its side effect (Vite bundles it).
declare module '*/applications.css';
