/* The desk's "paste a report" page (paste.html; no inline script: the page's CSP). The pasted
 * text goes to `make desk`'s /desk/api/import, which makes the story with `make import`'s own
 * importer and writes it into its year folder; this page then says what was found and opens the
 * new story in the editor. Plain ES2019, no build step. */
(function () {
  'use strict';

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;  // text, never HTML: the report is the officer's paste
    if (className) node.className = className;
    return node;
  }

  function show(result, answer) {
    result.replaceChildren();
    result.className = '';
    result.appendChild(element('h2', 'สร้างข่าวแล้ว: ' + answer.title));
    result.appendChild(element('p', 'ไฟล์ / file: ' + answer.path));
    var found = element('ul');
    answer.lines.forEach(function (line) { found.appendChild(element('li', line)); });
    result.appendChild(found);
    if (answer.problems.length) {
      result.appendChild(element('p', 'สิ่งที่ต้องแก้ในโต๊ะข่าวก่อนเผยแพร่ / to fix in the desk before publishing:'));
      var problems = element('ul');
      answer.problems.forEach(function (problem) {
        problems.appendChild(element('li', (problem.field ? '[' + problem.field + '] ' : '') + problem.thai + ' / ' +
          problem.english, problem.severity));
      });
      result.appendChild(problems);
    }
    var open = element('a', 'เปิดข่าวนี้ในโต๊ะข่าว เพื่อตรวจและบันทึก → (open it in the desk)');
    open.id = 'open-story';
    open.href = './#/collections/news/entries/' + answer.entry.split('/').map(encodeURIComponent).join('/');
    result.appendChild(element('p')).appendChild(open);
    result.hidden = false;
    open.focus();
  }

  function failed(result, message) {
    result.replaceChildren(element('p', 'สร้างข่าวไม่ได้ / the story was not made: ' + message, 'error'));
    result.className = 'failed';
    result.hidden = false;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('paste-form');
    var result = document.getElementById('result');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      button.disabled = true;
      try {
        var response = await fetch('/desk/api/import', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: document.getElementById('report').value }),
        });
        var answer = await response.json();
        if (response.ok) show(result, answer);
        else failed(result, answer.error);
      } catch (error) {
        failed(result, 'ติดต่อโต๊ะข่าวไม่ได้: make desk ยังทำงานอยู่หรือไม่? / cannot reach the desk: is make desk running?');
      } finally {
        button.disabled = false;
      }
    });
  });
})();
