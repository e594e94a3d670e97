/** Patient portal entry: language first (saved choice, else the browser's), then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles.css';
import './portal.css';
import { initI18n, initialLang } from './i18n.ts';
import { PortalApp } from './portal-app.tsx';

initI18n(initialLang());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PortalApp />
  </StrictMode>,
);
