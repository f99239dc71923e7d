// Loaded synchronously at the top of <body> (GOV.UK Frontend's js-enabled class),
// as a file rather than inline so the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
