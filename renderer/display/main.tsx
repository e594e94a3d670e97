/** Waiting-room display entry. PT by default; `?lang=en` shows it in English. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../shared/i18n.ts';
import '../shared/styles.css';
import './display.css';
import { DisplayApp } from './display-app.tsx';

initI18n(new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'pt');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayApp />
  </StrictMode>,
);
