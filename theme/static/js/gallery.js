// Story pages with photos: a viewer on the same page. A thumbnail of the gallery
// (partials/gallery.html) opens the photo large in a <dialog>, with its caption and "3 / 12";
// previous and next by the buttons, the arrow keys and a swipe; Escape or the close button
// closes it and puts focus back on the thumbnail that opened it.
//
// Without JavaScript each thumbnail is a plain link to the large photo, and stays one: this
// module only adds to it. No library, nothing from another site, no inline style (the CSP's
// style-src 'self'): the look is in site.css, by class. showModal() keeps focus in the dialog.

const SWIPE = 40; // pixels sideways that make a swipe

/** What the viewer shows for one thumbnail link, read from its markup. */
export function photoOf(link) {
  const img = link.querySelector("img");
  const source = link.querySelector("source[type='image/webp']");
  const caption = link.closest("figure")?.querySelector("figcaption");
  return {
    href: link.getAttribute("href"),
    webp: source ? source.getAttribute("srcset") : "",
    jpeg: img ? img.getAttribute("srcset") || "" : "",
    width: img ? img.getAttribute("width") : "",
    height: img ? img.getAttribute("height") : "",
    alt: img ? img.getAttribute("alt") || "" : "",
    caption: caption ? caption.textContent.trim() : "",
  };
}

function button(className, label) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = `viewer-button ${className}`;
  element.textContent = label;
  return element;
}

/** The dialog, made once for a page. */
function makeDialog(number) {
  const dialog = document.createElement("dialog");
  dialog.className = "viewer";
  const titleId = `viewer-title-${number}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const title = document.createElement("h2");
  title.id = titleId;
  title.className = "visually-hidden";
  title.textContent = "ดูภาพกิจกรรม";
  const close = button("viewer-close", "ปิด");
  const figure = document.createElement("figure");
  figure.className = "viewer-figure";
  const picture = document.createElement("picture");
  const source = document.createElement("source");
  source.type = "image/webp";
  source.sizes = "100vw";
  const img = document.createElement("img");
  img.className = "viewer-image";
  img.sizes = "100vw";
  img.decoding = "async";
  picture.append(source, img);
  const caption = document.createElement("figcaption");
  caption.className = "viewer-caption";
  figure.append(picture, caption);
  const bar = document.createElement("div");
  bar.className = "viewer-bar";
  const previous = button("viewer-previous", "ก่อนหน้า");
  const position = document.createElement("p");
  position.className = "viewer-position";
  position.setAttribute("aria-live", "polite");
  position.setAttribute("aria-atomic", "true");
  const next = button("viewer-next", "ถัดไป");
  bar.append(previous, position, next);
  dialog.append(title, close, figure, bar);
  document.body.append(dialog);
  return { dialog, close, figure, source, img, caption, previous, position, next };
}

/** Make the thumbnails of one gallery open the viewer. */
export function enhanceGallery(gallery, number = 0) {
  const links = [...gallery.querySelectorAll("a.gallery-link")];
  if (!links.length || typeof HTMLDialogElement !== "function") return null;
  const photos = links.map(photoOf);
  const parts = makeDialog(number);
  const { dialog } = parts;
  let current = 0;
  let opener = null;

  function show(index) {
    current = (index + photos.length) % photos.length;
    const photo = photos[current];
    parts.source.srcset = photo.webp;
    parts.img.srcset = photo.jpeg;
    parts.img.src = photo.href;
    parts.img.alt = photo.alt;
    if (photo.width && photo.height) {
      parts.img.width = Number(photo.width);
      parts.img.height = Number(photo.height);
    }
    parts.caption.textContent = photo.caption;
    parts.caption.hidden = !photo.caption;
    parts.position.textContent = `${current + 1} / ${photos.length}`;
    const alone = photos.length < 2;
    parts.previous.hidden = alone;
    parts.next.hidden = alone;
  }

  function open(index, link) {
    opener = link;
    show(index);
    if (!dialog.open) dialog.showModal();
    parts.close.focus();
  }

  links.forEach((link, index) => {
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      open(index, link);
    });
  });
  parts.close.addEventListener("click", () => dialog.close());
  parts.previous.addEventListener("click", () => show(current - 1));
  parts.next.addEventListener("click", () => show(current + 1));
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") {
      event.preventDefault();
      show(current - 1);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      show(current + 1);
    }
  });
  // A click on the dark backdrop (outside the content) closes, as on most news sites.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => {
    if (opener) opener.focus(); // back to the thumbnail that opened the viewer
    opener = null;
  });

  let start = null;
  parts.figure.addEventListener("pointerdown", (event) => {
    start = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  parts.figure.addEventListener("pointerup", (event) => {
    if (!start || start.id !== event.pointerId) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
  parts.figure.addEventListener("pointercancel", () => { start = null; });
  gallery.classList.add("has-viewer");
  return dialog;
}

export function enhance(root = document) {
  [...root.querySelectorAll("section.gallery")].forEach((gallery, number) => enhanceGallery(gallery, number));
}

enhance();
