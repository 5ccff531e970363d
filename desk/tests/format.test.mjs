// The desk's file format (desk/admin/desk.js) in Node, without a browser: `node --test desk/tests/`.
// Run by tests/test_desk_format.py (so `make test` runs it), which passes
//   DESK_DATA_JSON       a file holding newsroom.desk_config.desk_data() (the same tables the desk serves)
//   DESK_ROUNDTRIP_ROOTS folders whose .md files must round-trip byte-identically (path.delimiter-separated)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '..', 'admin', 'desk.js'), 'utf8');

function load(extra = {}) {
  const sandbox = { ...extra };
  vm.runInNewContext(source, sandbox, { filename: 'desk.js' });
  return sandbox.DeskFormat;
}

assert.ok(process.env.DESK_DATA_JSON, 'DESK_DATA_JSON is not set: run tests/test_desk_format.py (pytest)');
const DATA = JSON.parse(fs.readFileSync(process.env.DESK_DATA_JSON, 'utf8'));
const ROOTS = (process.env.DESK_ROUNDTRIP_ROOTS || '').split(path.delimiter).filter(Boolean);
const desk = load();
const format = desk.makeFormat(DATA);
// Objects of the vm's realm, as plain JSON (what Decap keeps; and deepEqual compares prototypes)
const parse = (text) => JSON.parse(JSON.stringify(format.fromFile(text)));

// A React stand-in for the widgets: h() builds a tree, createClass() keeps the spec, mount() makes
// an instance with props (and setState), find() a node by id, text() a node's text.
const h = (type, props, ...children) => ({ type, props: props || {}, children: children.flat() });
const createClass = (spec) => spec;
function mount(spec, props) {
  const self = Object.assign(Object.create(spec), { props });
  self.state = spec.getInitialState ? self.getInitialState() : {};
  self.setState = (change) => { self.state = { ...self.state, ...change }; };
  return { self, get tree() { return self.render(); } };
}
const find = (node, id) => {
  if (!node || typeof node !== 'object') return null;
  if (node.props && node.props.id === id) return node;
  for (const child of node.children || []) { const found = find(child, id); if (found) return found; }
  return null;
};
const text = (node) => (node === null || node === undefined ? '' : typeof node === 'string' ? node :
  (node.children || []).map(text).join(''));

function markdownFiles(folder) {
  const found = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) found.push(full);
  }
  return found.sort();
}

// What Decap does with an entry: parse, let the officer change data, serialise, add a final
// newline when missing (decap-cms-core's formatter).
function save(text, change = () => {}) {
  const data = parse(text);
  change(data);
  const out = format.toFile(data);
  return out.endsWith('\n') ? out : out + '\n';
}

function changedLines(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'the number of lines changed');
  return a.map((line, index) => [index, line, b[index]]).filter(([, x, y]) => x !== y);
}

test('every .md file of the roots round-trips byte-identically', () => {
  assert.ok(ROOTS.length >= 1, 'no DESK_ROUNDTRIP_ROOTS');
  for (const root of ROOTS) {
    const files = markdownFiles(root);
    assert.ok(files.length >= 3, `too few .md files in ${root}`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.endsWith('\n'), `${file} does not end in a newline (Decap would add one)`);
      assert.equal(save(text), text, `${file} changed on open and save`);
    }
  }
});

test('changing one field of every file changes that line only', () => {
  for (const root of ROOTS) {
    for (const file of markdownFiles(root)) {
      const text = fs.readFileSync(file, 'utf8');
      const data = parse(text);
      if (typeof data.Title !== 'string' || !/^Title:/m.test(text.split('\n\n')[0])) continue;
      const after = save(text, (entry) => { entry.Title = entry.Title + ' แก้'; });
      const changed = changedLines(text, after);
      assert.equal(changed.length, 1, `${file}: ${JSON.stringify(changed)}`);
      assert.match(changed[0][2], /^Title: .* แก้$/);
      // ... and changing it back gives the file again, to the byte
      assert.equal(save(after, (entry) => { entry.Title = data.Title; }), text);
    }
  }
});

const STORY = [
  'Title: ข่าวทดสอบ',
  'Date: 2567-06-05',
  'networks: religion, ชุมชนคุณธรรม',
  'Tags: วัด, จิตอาสา',
  'X-Custom: kept as written',
  'Summary: first line',
  '    second line',
  '',
  '- one',
  '- two',
  '',
].join('\n');

test('fields are read with the names of the model; aliases of networks become their Thai names', () => {
  const data = parse(STORY);
  assert.equal(data.Title, 'ข่าวทดสอบ');
  assert.deepEqual(data.Networks, ['เครือข่ายศาสนา', 'เครือข่ายชุมชนคุณธรรม']);
  assert.equal(data.Summary, 'first line\nsecond line');
  assert.equal(data.body, '- one\n- two\n');
  assert.equal(data['X-Custom'], undefined);  // not a field of the model: kept in _desk only
  assert.equal(save(STORY), STORY);
});

test('a changed list, a cleared field, a new field and a new body each touch their own lines', () => {
  const networks = save(STORY, (entry) => { entry.Networks = ['เครือข่ายศาสนา', 'เครือข่ายสื่อคุณธรรม']; });
  assert.deepEqual(changedLines(STORY, networks).map(([, , line]) => line),
    ['networks: เครือข่ายศาสนา, เครือข่ายสื่อคุณธรรม']);  // the key as the officer spelt it
  const cleared = save(STORY, (entry) => { entry.Tags = ''; });
  assert.equal(cleared, STORY.replace('Tags: วัด, จิตอาสา\n', ''));
  const added = save(STORY, (entry) => { entry.Slug = 'test-story'; });
  assert.equal(added, STORY.replace('    second line\n', '    second line\nSlug: test-story\n'));
  const body = save(STORY, (entry) => { entry.body = '- one\n- two\n- three\n'; });
  assert.equal(body, STORY.replace('- two\n', '- two\n- three\n'));
  const district = parse('Title: x\nStart: 2570-01-01\nLocation: วัด\nDistrict: อ.แม่สาย\n');
  assert.equal(district.District, 'แม่สาย');
});

test('a new story is written in make new order, without hidden or empty fields', () => {
  const text = format.toFile({
    body: '\n\nเนื้อหาข่าว\n\n', Status: '', Networks: ['เครือข่ายสื่อคุณธรรม', 'เครือข่ายศาสนา'], Slug: 'desk-story',
    _year: '2567', Date: '2567-06-05', Title: 'ข่าวใหม่', Image: 'images/2567-06-05-desk-story/p01.jpg',
    ImageAlt: 'ภาพการประชุม', Tags: null,
  });
  assert.equal(text, [
    'Title: ข่าวใหม่', 'Date: 2567-06-05', 'Slug: desk-story', 'Networks: เครือข่ายสื่อคุณธรรม, เครือข่ายศาสนา',
    'Image: images/2567-06-05-desk-story/p01.jpg', 'ImageAlt: ภาพการประชุม', '', 'เนื้อหาข่าว', '',
  ].join('\n'));
  const event = format.toFile({ Title: 'กิจกรรม', Location: 'วัด', Start: '2570-01-01 09:00', Networks: [], body: '' });
  assert.equal(event, 'Title: กิจกรรม\nStart: 2570-01-01 09:00\nLocation: วัด\n');
});

test('the year folder of a story is its Buddhist-era year', () => {
  assert.equal(desk.beYear(DATA, '2567-06-05'), 2567);
  assert.equal(desk.beYear(DATA, '2024-06-05 09:30'), 2567);
  assert.equal(desk.beYear(DATA, '๒๕๖๗-๐๖-๐๕'), 2567);
  assert.equal(desk.beYear(DATA, '3567-01-01'), null);
  assert.equal(desk.beYear(DATA, '5 มิถุนายน 2567'), null);
});

// A stand-in for Decap's Immutable entry: get and set, as the preSave listener uses them.
function record(values) {
  return { get: (key) => values[key], set: (key, value) => record({ ...values, [key]: value }), values };
}

test('before a save: the year folder, and a slug for a new story without one', async () => {
  const asked = [];
  const handler = desk.preSave(DATA, null, async (title) => { asked.push(title); return 'khao-mai'; });
  const fresh = await handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2024-06-05', Slug: '' }) }) });
  assert.deepEqual(fresh.values, { Title: 'ข่าวใหม่', Date: '2024-06-05', Slug: 'khao-mai', _year: '2567' });
  assert.deepEqual(asked, ['ข่าวใหม่']);
  const old = await handler({ entry: record({ collection: 'news', newRecord: false,
    data: record({ Title: 'เก่า', Date: '2566-03-01' }) }) });
  assert.deepEqual(old.values, { Title: 'เก่า', Date: '2566-03-01', _year: '2566' });  // its URL stays the record's
  assert.equal(asked.length, 1);
  await assert.rejects(handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'x', Date: '1 มีนาคม 2566' }) }) }), /อ่านปีของวันที่ข่าว/);
  await assert.rejects(handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'x', Date: '2567-06-05', Image: 'images/2567-06-05-/p01.jpg' }) }) }), /ก่อนมี Slug/);
  const page = await handler({ entry: record({ collection: 'pages', newRecord: false, data: record({ Title: 'p' }) }) });
  assert.deepEqual(page.values, { Title: 'p' });
});

test('a new story without a Slug and none to be had (the hosted editor) is not saved', async () => {
  const handler = desk.preSave(DATA, null, async () => '');
  await assert.rejects(handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05', Slug: ' ' }) }) }), /ใส่ที่อยู่เว็บ \(Slug\).*fill in the Slug/);
  await assert.rejects(handler({ entry: record({ collection: 'events', newRecord: true,
    data: record({ Title: 'กิจกรรม' }) }) }), /fill in the Slug/);
  const typed = await handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05', Slug: 'khao-mai' }) }) });
  assert.equal(typed.values.Slug, 'khao-mai');
});

test('hosted: no request for a slug, and the saved message says the site follows in minutes', async () => {
  const registered = {};
  const asked = [];
  const cms = {
    registerCustomFormat: () => {}, getLocale: () => ({}), init: () => {},
    registerLocale: (name, phrases) => { registered.locale = phrases; },
    registerEventListener: (listener) => { registered.listener = listener; },
    registerWidget: () => {}, registerPreviewTemplate: () => {},
  };
  const hosted = { ...DATA, hosted: true, slugApi: null };
  load({ CMS: cms, DESK_DATA: hosted, h: () => null, createClass: (spec) => spec,
    fetch: async (url) => { asked.push(url); return { ok: true, json: async () => ({ slug: 'x' }) }; } });
  assert.match(registered.locale.ui.toast.entryPublished, /ราวครึ่งชั่วโมง/);
  assert.equal(registered.locale.editor.editorToolbar.publish, 'บันทึก');
  await assert.rejects(registered.listener.handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05' }) }) }), /fill in the Slug/);
  const withSlug = await registered.listener.handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05', Slug: 'khao-mai' }) }) });
  assert.equal(withSlug.values.Slug, 'khao-mai');
  assert.deepEqual(asked, []);  // no slug service, and no check: a hosted editor has no desk server
  // local: the same listener asks the desk's own slug service
  load({ CMS: cms, DESK_DATA: DATA, h: () => null, createClass: (spec) => spec,
    fetch: async (url) => { asked.push(url); return { ok: true, json: async () => ({ slug: 'khao-mai' }) }; } });
  assert.doesNotMatch(registered.locale.ui.toast.entryPublished, /ครึ่งชั่วโมง/);
  const saved = await registered.listener.handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05' }) }) });
  assert.equal(saved.values.Slug, 'khao-mai');
  assert.deepEqual(asked.filter((url) => url.startsWith('/desk/api/slug')),
    ['/desk/api/slug?title=' + encodeURIComponent('ข่าวใหม่')]);
  assert.ok(asked.includes('/desk/api/check'));  // locally the build's checks are asked too
});

test('the Thai wording: local mode saves, it does not publish', () => {
  const registered = {};
  const cms = {
    registerCustomFormat: (name, extension, formatter) => { registered.format = [name, extension, formatter]; },
    getLocale: () => ({ editor: { editorToolbar: { publish: 'เผยแพร่', save: 'บันทึก' } } }),
    registerLocale: (name, phrases) => { registered.locale = [name, phrases]; },
    registerEventListener: (listener) => { registered.listener = listener; },
    registerWidget: (name, control) => { (registered.widgets = registered.widgets || []).push(name); },
    registerPreviewTemplate: (name) => { (registered.previews = registered.previews || []).push(name); },
    init: () => { registered.init = true; },
  };
  load({ CMS: cms, DESK_DATA: DATA, h: () => null, createClass: (spec) => spec });
  assert.equal(registered.format[0], 'pelican');
  assert.equal(registered.format[1], 'md');
  assert.equal(registered.locale[0], 'th');
  assert.equal(registered.locale[1].editor.editorToolbar.publish, 'บันทึก');
  assert.equal(registered.locale[1].editor.editorToolbar.save, 'บันทึก');  // the rest of Decap's Thai kept
  assert.equal(registered.listener.name, 'preSave');
  assert.deepEqual(registered.widgets, ['desk-slug', 'thaidate', 'desk-photos']);  // the config's own widgets
  assert.deepEqual(registered.previews, ['news', 'events', 'pages']);  // every collection shows the checks
  assert.ok(registered.init);
});

// The build's checks before a save (issue 17 point 5): the file a story will be, the text sent,
// a save refused on errors with the build's Thai message, warnings let through.
test('the path a story is checked as: its own, or the one Decap will give a new one', () => {
  const entry = (values) => record(values);
  assert.equal(desk.entryPath(DATA, 'news', entry({ newRecord: false, path: 'content/news/2566/x.md' }),
    record({ Slug: 'y', Date: '2567-01-01' })), 'content/news/2566/x.md');
  assert.equal(desk.entryPath(DATA, 'news', entry({ newRecord: true }), record({ Slug: 'khao-mai', Date: '2024-06-05' })),
    'content/news/2567/khao-mai.md');
  assert.equal(desk.entryPath(DATA, 'news', entry({ newRecord: true }), record({ Slug: '../../Makefile', Date: 'x' })),
    'content/news/new/Makefile.md');  // never out of the folder, whatever is typed
  assert.equal(desk.entryPath(DATA, 'events', entry({ newRecord: true }), record({})), 'content/events/new.md');
  assert.equal(desk.entryPath(DATA, 'nothing', entry({ newRecord: true }), record({})), null);
});

const WRONG = { line: 2, field: 'Date', thai: 'อ่านวันที่ไม่ได้', english: 'cannot read the date', severity: 'error' };
const ALT = { line: 9, field: '', thai: 'รูปไม่มีคำบรรยาย', english: 'no alt text', severity: 'warning' };

test('a story the build would refuse is not saved; warnings do not block; no server, no check', async () => {
  const sent = [];
  let answer = { problems: [WRONG, ALT], errors: 1 };
  const check = desk.checker(DATA, format, async (body) => { sent.push(body); return answer; });
  const handler = desk.preSave(DATA, check, async () => 'khao-mai');
  const story = () => ({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าว', Date: '2567-13-05', Slug: 'khao', body: 'เนื้อหา' }) }) });
  await assert.rejects(handler(story()), (error) => {
    assert.match(error.message, /^ข่าวนี้มีข้อผิดพลาด 1 จุดที่ต้องแก้ก่อนบันทึก/);
    assert.match(error.message, /\[Date\] บรรทัด 2: อ่านวันที่ไม่ได้/);
    assert.match(error.message, / \/ this story has 1 error\(s\) to fix before saving: \[Date\] line 2: cannot read the date$/);
    assert.doesNotMatch(error.message, /คำบรรยาย/);  // the warning is not the reason
    return true;
  });
  // what is checked: the text Decap would write, at the path it would write it to
  assert.deepEqual(JSON.parse(JSON.stringify(sent)), [{ path: 'content/news/2567/khao.md',
    raw: 'Title: ข่าว\nDate: 2567-13-05\nSlug: khao\n\nเนื้อหา\n' }]);
  sent.length = 0;
  const page = { entry: record({ collection: 'pages', newRecord: true, data: record({ Title: 'หน้า', Slug: 'na', body: 'x' }) }) };
  await assert.rejects(handler(page), /ข้อผิดพลาด 1 จุด/);
  assert.deepEqual(JSON.parse(JSON.stringify(sent)), [{ path: 'content/pages/na.md', raw: 'Title: หน้า\nSlug: na\n\nx\n' }]);
  answer = { problems: [ALT], errors: 0 };
  const saved = await handler(page);
  assert.equal(saved.values.Title, 'หน้า');
  const fresh = await desk.preSave(DATA, desk.checker(DATA, format, async () => { throw new TypeError('Failed to fetch'); }),
    async () => '')(page);
  assert.equal(fresh.values.Title, 'หน้า');  // the desk's server unreachable (a hosted editor): CI checks instead
});

test('the preview lists the problems, Thai first, errors apart from warnings', () => {
  const h = (tag, props, ...children) => ({ tag, props, children: children.flat() });
  const Preview = desk.checkPreview(h, (spec) => spec, async () => null, 'body');
  const text = (node) => (node === null || node === undefined ? '' : typeof node === 'string' ? node
    : node.children.map(text).join(''));
  const view = (answer) => {
    const self = Object.create(Preview);
    self.props = { entry: record({ data: record({ Title: 'หัวข้อ' }) }), widgetFor: () => 'BODY' };
    self.state = { answer };
    return self.render();
  };
  assert.match(text(view(undefined)), /กำลังตรวจ/);
  assert.match(text(view({ problems: [], errors: 0 })), /ไม่พบปัญหา: บันทึกได้/);
  const shown = view({ problems: [WRONG, ALT], errors: 1 });
  assert.match(text(shown), /ข้อผิดพลาด 1 จุด \(ต้องแก้ก่อนบันทึก\) คำเตือน 1 จุด/);
  const items = shown.children[0].children.find((node) => node && node.tag === 'ul').children;
  assert.deepEqual(items.map((node) => node.props['data-severity']), ['error', 'warning']);
  assert.match(text(items[0]), /^ข้อผิดพลาด: \[Date\] บรรทัด 2: อ่านวันที่ไม่ได้\[Date\] line 2: cannot read the date$/);
  assert.match(text(shown), /หัวข้อBODY$/);
});

test('the pictures uploaded with a story are named to the check (they are not on disk yet)', async () => {
  const sent = [];
  const check = desk.checker(DATA, format, async (body) => { sent.push(body); return { problems: [], errors: 0 }; });
  const files = [{ path: 'content/images/2567-06-05-x/p01.jpg', draft: true }, { path: 'content/images/old.jpg' }];
  await check('news', record({ newRecord: true, mediaFiles: { toJS: () => files } }),
    record({ Title: 't', Date: '2567-06-05', Slug: 'x', Image: 'images/2567-06-05-x/p01.jpg' }));
  assert.deepEqual(JSON.parse(JSON.stringify(sent[0].uploading)), ['content/images/2567-06-05-x/p01.jpg']);
});

test('the editor links to the paste-a-report page', () => {
  const added = [];
  const document = { createElement: (tag) => ({ tag, style: {} }), body: { appendChild: (node) => added.push(node) } };
  const link = desk.pasteLink(document);
  assert.deepEqual(added, [link]);
  assert.equal(link.tag, 'a');
  assert.equal(link.href, 'paste.html');
  assert.equal(link.textContent, 'วางรายงานข่าว');
  assert.equal(link.style.position, 'fixed');
});

test('a date is read in either era, with or without a time, as the build reads it', () => {
  const read = (value) => JSON.parse(JSON.stringify(desk.readDate(DATA, value)));
  assert.deepEqual(read('2567-06-05'), { year: 2024, month: 6, day: 5, time: '', era: 'BE' });
  assert.deepEqual(read('2024-06-05'), { year: 2024, month: 6, day: 5, time: '', era: 'CE' });
  assert.deepEqual(read('2569-12-31 19:00'), { year: 2026, month: 12, day: 31, time: '19:00', era: 'BE' });
  assert.deepEqual(read('2567-6-5T9:05:30'), { year: 2024, month: 6, day: 5, time: '09:05:30', era: 'BE' });
  assert.deepEqual(read('๒๕๖๗-๐๖-๐๕'), { year: 2024, month: 6, day: 5, time: '', era: 'BE' });
  assert.equal(read(' 2567-02-29 '.trim()).day, 29); // 2024 is a leap year
  // what the build refuses (dates.py): not a calendar date, a year out of range, not the pattern
  for (const bad of ['2566-02-29', '2567-13-05', '2567-06-31', '3566-06-05', '1899-06-05', '5 มิถุนายน 2567',
    '05/06/2567', '2567-06-05 9', '2567-06-05 24:00', '2567-06-05 19:60', '', null, undefined]) {
    assert.equal(desk.readDate(DATA, bad), null, String(bad));
  }
});

test('the pickers show a written date in the Common Era; a pick writes the Buddhist Era', () => {
  const shown = (value) => JSON.parse(JSON.stringify(desk.pickerValues(DATA, value)));
  assert.deepEqual(shown('2567-06-05'), { date: '2024-06-05', time: '' });
  assert.deepEqual(shown('2024-06-05 19:00'), { date: '2024-06-05', time: '19:00' });
  assert.deepEqual(shown('2567-6-5 9:30'), { date: '2024-06-05', time: '09:30' });
  assert.deepEqual(shown('2567-13-05'), { date: '', time: '' }); // kept as typed in the text field
  assert.equal(desk.writtenDate(DATA, '2024-06-05', ''), '2567-06-05');
  assert.equal(desk.writtenDate(DATA, '2024-06-05', '19:00'), '2567-06-05 19:00');
  assert.equal(desk.writtenDate(DATA, '2026-12-31', '19:00:30'), '2569-12-31 19:00:30');
  assert.equal(desk.writtenDate(DATA, '2026-12-31', '19:00:00'), '2569-12-31 19:00');
  assert.equal(desk.writtenDate(DATA, '', '19:00'), ''); // an unfinished pick writes nothing
  // picking what is shown gives the same moment back, in the Buddhist Era
  for (const value of ['2567-06-05', '2024-06-05 19:00', '2570-01-01 00:30', '2563-03-11']) {
    const picked = shown(value);
    const written = desk.writtenDate(DATA, picked.date, picked.time);
    assert.match(written, /^25\d\d-\d\d-\d\d( \d\d:\d\d)?$/);
    assert.deepEqual(shown(written), picked);
  }
});

test('the date is read out in Thai as the site shows it', () => {
  assert.equal(desk.thaiReading(DATA, '2567-06-05'), '5 มิถุนายน 2567');
  assert.equal(desk.thaiReading(DATA, '2024-06-05'), '5 มิถุนายน 2567');
  assert.equal(desk.thaiReading(DATA, '2569-12-31 19:00'), '31 ธันวาคม 2569 เวลา 19:00 น.');
  assert.equal(desk.thaiReading(DATA, '2567-01-01T07:05:09'), '1 มกราคม 2567 เวลา 07:05 น.');
  assert.equal(desk.thaiReading(DATA, ''), '');
  assert.equal(desk.thaiReading(DATA, '2567-13-05'), null);
});

test('the date widget shows a value as written and writes only what the officer changes', () => {
  const widget = desk.dateWidget(h, createClass, DATA);
  const changes = [];
  const render = (value) => mount(widget, { value, forID: 'Date-field-1', onChange: (v) => changes.push(v) });
  let { tree } = render('2024-06-05 19:00');
  assert.equal(find(tree, 'Date-field-1').props.value, '2024-06-05 19:00'); // as written: not rewritten
  assert.equal(find(tree, 'Date-field-1-picker').props.value, '2024-06-05');
  assert.equal(find(tree, 'Date-field-1-time').props.value, '19:00');
  assert.equal(text(find(tree, 'Date-field-1-reading')), '5 มิถุนายน 2567 เวลา 19:00 น.');
  assert.equal(find(tree, 'Date-field-1').props['aria-describedby'], 'Date-field-1-reading');
  assert.deepEqual(changes, []); // shown, not changed
  find(tree, 'Date-field-1-picker').props.onChange({ target: { value: '2024-06-07' } });
  find(tree, 'Date-field-1-time').props.onChange({ target: { value: '08:30' } });
  find(tree, 'Date-field-1-time').props.onChange({ target: { value: '' } });
  find(tree, 'Date-field-1-picker').props.onChange({ target: { value: '' } }); // unfinished: nothing
  assert.deepEqual(changes, ['2567-06-07 19:00', '2567-06-05 08:30', '2567-06-05']);
  ({ tree } = render('2567-13-05'));
  find(tree, 'Date-field-1').props.onChange({ target: { value: '2567-13-05x' } });
  assert.equal(changes.at(-1), '2567-13-05x'); // typed text is kept as typed
  assert.equal(find(tree, 'Date-field-1-picker').props.value, '');
  assert.equal(find(tree, 'Date-field-1-time').props.disabled, true);
  assert.match(text(find(tree, 'Date-field-1-reading')), /^อ่านวันที่นี้ไม่ได้/);
});

test('the album: the first photos of a new story make its folder; captions are sent when the officer leaves the field', async () => {
  const posted = [];
  const answers = [
    { folder: 'images/2567-06-05-khao', added: ['p01.jpg', 'p02.jpg'], problems: [],
      photos: [{ name: 'p01.jpg', caption: '' }, { name: 'p02.jpg', caption: '' }] },
    { folder: 'images/2567-06-05-khao', added: [], problems: [{ thai: 'ปัญหา', english: 'problem', severity: 'error' }],
      photos: [{ name: 'p01.jpg', caption: 'งานวัด' }, { name: 'p02.jpg', caption: '' }] },
  ];
  class FileReader { readAsDataURL(file) { this.result = 'data:image/jpeg;base64,' + file.bytes; this.onload(); } }
  const sandbox = load({ FileReader });
  const widget = sandbox.photosWidget(h, createClass, DATA, async (body) => { posted.push(body); return answers.shift(); },
    async (title) => (title === 'ข่าว' ? 'khao' : ''));
  const changes = [];
  const fields = new Map([['Title', 'ข่าว'], ['Date', '2567-06-05'], ['Slug', '']]);
  const stale = { get: () => new Map() };  // the entry the field rendered with, before the Title, Date and Slug
  const { self, tree } = mount(widget, { value: '', forID: 'Photos-field-1', entry: stale, getEntry: () => ({ get: () => fields }),
    onChange: (v) => changes.push(v) });
  assert.equal(find(tree, 'Photos-field-1-upload').props.type, 'file');
  assert.equal(find(tree, 'Photos-field-1-upload').props.multiple, true);
  assert.match(text(find(tree, 'Photos-field-1-status')), /ยังไม่มีอัลบั้ม/);
  await self.upload([{ name: 'p01.jpg', bytes: 'AAA' }, { name: 'p02.jpg', bytes: 'BBB' }]);
  assert.deepEqual(JSON.parse(JSON.stringify(posted[0])), {
    photos: [{ name: 'p01.jpg', content: 'AAA' }, { name: 'p02.jpg', content: 'BBB' }], date: '2567-06-05', slug: 'khao' });
  assert.deepEqual(changes, ['images/2567-06-05-khao']);  // the field names the new folder
  const previous = self.props;
  self.props = { ...self.props, value: 'images/2567-06-05-khao' };
  self.load = () => assert.fail('the folder the upload named was listed again (its message would go)');
  self.componentDidUpdate(previous);
  let shown = self.render();
  assert.match(text(find(shown, 'Photos-field-1-status')), /เพิ่มรูปแล้ว 2 รูป/);
  const caption = find(shown, 'Photos-field-1-caption-0');
  assert.equal(text(find(shown, 'Photos-field-1-caption-1')), '');
  const label = shown.children.find((node) => node && node.type === 'ol').children[0].children[1];
  assert.equal(label.props.htmlFor, 'Photos-field-1-caption-0');  // each caption has its label
  assert.match(text(label), /คำบรรยายรูปที่ 1 \(p01.jpg\)/);
  caption.props.onBlur();  // nothing typed: nothing sent
  assert.equal(posted.length, 1);
  caption.props.onChange({ target: { value: 'งานวัด' } });
  await find(self.render(), 'Photos-field-1-caption-0').props.onBlur();
  assert.deepEqual(JSON.parse(JSON.stringify(posted[1])), { folder: 'images/2567-06-05-khao', captions: { 'p01.jpg': 'งานวัด' } });
  shown = self.render();
  assert.equal(find(shown, 'Photos-field-1-caption-0').props.value, 'งานวัด');
  assert.match(text(shown), /ปัญหา/);  // what the build says of the folder, shown under it
});

test('the album in a hosted editor: the folder as a text field and a note, no upload', () => {
  const widget = desk.photosWidget(h, createClass, { ...DATA, photosApi: null, thumbnailApi: null }, null, null);
  const { tree } = mount(widget, { value: 'images/visit', forID: 'Photos-field-1', onChange: () => {} });
  assert.equal(find(tree, 'Photos-field-1').props.value, 'images/visit');
  assert.equal(find(tree, 'Photos-field-1-upload'), null);
  assert.equal(text(find(tree, 'Photos-field-1-status')), desk.HOSTED_PHOTOS_NOTE);
  assert.equal(find(tree, 'Photos-field-1').props['aria-describedby'], 'Photos-field-1-status');
});
