/** Kiosk entry: patients check themselves in by face (with confirmation) or by booking code. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../shared/i18n.ts';
import '../shared/styles.css';
import './kiosk.css';
import { KioskApp } from './kiosk-app.tsx';

initI18n('pt');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KioskApp />
  </StrictMode>,
);
