// Marks the page as scripted before it is drawn, as the NHS.UK frontend
// expects (its template does this inline; the pages' Content-Security-Policy
// allows no inline script, so it is this file, loaded first in <body>).
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
