/* Loaded before decap-cms.js: Decap waits for desk.js to register our format, then CMS.init(). */
window.CMS_MANUAL_INIT = true;
/* The story text opens as Markdown (the text as written), not in the rich-text view: Decap's
 * rich-text editor rewrites a story it only displays (`-` bullets become `*`), so opening and
 * saving a story would change its file. The officer can still switch to the rich-text view, and
 * Decap then remembers that choice. */
try {
  if (!window.localStorage.getItem('cms.md-mode')) window.localStorage.setItem('cms.md-mode', 'raw');
} catch (error) {
  /* storage refused (private mode): Decap's own default applies */
}
