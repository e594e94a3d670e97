/**
 * Reception desk entry (staff only: full names are shown here and nowhere else). The staff gate shows the
 * login, lock or first-run screen until a staff member is in.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../shared/i18n.ts';
import '../shared/styles.css';
import './desk.css';
import { savedLang } from './actions.ts';
import { DeskApp } from './desk-app.tsx';
import { StaffGate } from './auth/staff-gate.tsx';

initI18n(savedLang());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StaffGate>
      <DeskApp />
    </StaffGate>
  </StrictMode>,
);
