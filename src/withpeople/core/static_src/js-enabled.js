// Marks the page as able to run GOV.UK Frontend's scripts, before the page is drawn, so that
// enhanced components do not flicker. A file rather than an inline script, so the content
// security policy can forbid inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
