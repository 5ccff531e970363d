// Article pages: the copy-link button, the "share with another app" button, and YouTube videos
// that load nothing from YouTube until the reader presses play.
//
// Without JavaScript every part still works: the link of the story is in a read-only box to
// select and copy, and each video is a plain link to it on YouTube. This module only adds to
// that. It loads no other script and sets no cookie.

export const EMBED_ORIGIN = "https://www.youtube-nocookie.com";
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const PLAYER_PERMISSIONS = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture";

/** The privacy-enhanced player of one video, started at once (the reader pressed play). */
export function embedUrl(videoId) {
  if (!VIDEO_ID.test(videoId)) throw new Error(`not a YouTube video id: ${videoId}`);
  return `${EMBED_ORIGIN}/embed/${videoId}?autoplay=1`;
}

/** The player, in place of the button that was pressed; focus moves into it. */
function play(button, videoId, title) {
  const frame = document.createElement("iframe");
  frame.className = "video-frame";
  frame.setAttribute("src", embedUrl(videoId));
  frame.setAttribute("title", title);
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  frame.setAttribute("allow", PLAYER_PERMISSIONS);
  frame.setAttribute("allowfullscreen", "");
  frame.setAttribute("loading", "lazy");
  frame.setAttribute("width", "1280");
  frame.setAttribute("height", "720");
  button.replaceWith(frame);
  frame.focus();
}

/** Turn a video link (a.video-facade) into a play button with the same poster. */
export function enhanceVideo(link) {
  const videoId = link.dataset.videoId || "";
  if (!VIDEO_ID.test(videoId)) return null;
  const title = link.dataset.videoTitle || "วิดีโอ YouTube";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "video-facade";
  button.dataset.videoId = videoId;
  const poster = link.querySelector("img");
  if (poster) button.append(poster);
  // The name starts with the visible words, so that speech input ("click เล่นวิดีโอ") finds it.
  button.setAttribute("aria-label", `เล่นวิดีโอ: ${title} (จาก YouTube)`);
  const label = document.createElement("span");
  label.className = "video-label";
  label.textContent = "เล่นวิดีโอ";
  button.append(label);
  button.addEventListener("click", () => play(button, videoId, title), { once: true });
  link.replaceWith(button);
  return button;
}

function say(status, message) {
  if (!status) return;
  status.textContent = "";
  // A fresh text node, a moment later: screen readers announce a repeated message again.
  setTimeout(() => { status.textContent = message; }, 50);
}

async function copyText(input) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(input.value);
    return true;
  }
  input.focus();
  input.select();
  return document.execCommand ? document.execCommand("copy") : false;
}

/** The copy button beside the read-only box with the story's link. */
export function enhanceCopy(button) {
  const input = document.getElementById(button.dataset.copyFrom || "");
  if (!input) return;
  const status = document.getElementById(button.dataset.copyStatus || "");
  input.value = new URL(input.value, document.baseURI).href; // the preview build has relative links
  input.addEventListener("focus", () => input.select());
  if (button.hasAttribute("data-native-share")) {
    if (typeof navigator.share !== "function") return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.share({ title: button.dataset.shareTitle || document.title, url: input.value });
      } catch (error) {
        if (error && error.name !== "AbortError") say(status, "แชร์ไม่สำเร็จ ลองคัดลอกลิงก์แทน");
      }
    });
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    let copied = false;
    try {
      copied = await copyText(input);
    } catch {
      copied = false;
    }
    if (copied) {
      say(status, "คัดลอกลิงก์แล้ว");
    } else {
      input.focus();
      input.select();
      say(status, "คัดลอกอัตโนมัติไม่ได้ ลิงก์ถูกเลือกไว้แล้ว กด Ctrl+C (หรือ ⌘+C) เพื่อคัดลอก");
    }
  });
}

export function enhance(root = document) {
  for (const link of root.querySelectorAll("a.video-facade[data-video-id]")) enhanceVideo(link);
  for (const button of root.querySelectorAll("button[data-copy-from]")) enhanceCopy(button);
}

enhance();
