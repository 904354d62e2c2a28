// Starts the NHS.UK frontend's components (header menu, error summary focus,
// skip link, ...). Everything works without it: it only improves the pages.
import { initAll } from './nhsuk-frontend.min.js';

initAll();
