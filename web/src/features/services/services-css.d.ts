// The service pages' stylesheet is imported for its side effect: Vite bundles it beside the
// app's styles.css. Declared by name only, so no other CSS import passes the type check unseen.
declare module '*/services.css';
