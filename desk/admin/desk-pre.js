/* Loaded before decap-cms.js: Decap waits for desk.js to register our format, then CMS.init(). */
window.CMS_MANUAL_INIT = true;
