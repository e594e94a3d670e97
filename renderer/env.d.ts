/** Vite's client types for the pages (CSS and asset imports). */
/// <reference types="vite/client" />
