import { ConnectionCheck } from './ConnectionCheck';

/** Workspace → Connection check (#/diagnose): the saved key (or the sandbox) and the saved channels. */
export default function DiagnoseSection() {
  return <ConnectionCheck />;
}
