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
    registerWidget: () => {},
  };
  const hosted = { ...DATA, hosted: true, slugApi: null };
  load({ CMS: cms, DESK_DATA: hosted, h: () => null, createClass: (spec) => spec,
    fetch: async (url) => { asked.push(url); return { ok: true, json: async () => ({ slug: 'x' }) }; } });
  assert.match(registered.locale.ui.toast.entryPublished, /ราวครึ่งชั่วโมง/);
  assert.equal(registered.locale.editor.editorToolbar.publish, 'บันทึก');
  await assert.rejects(registered.listener.handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05' }) }) }), /fill in the Slug/);
  assert.deepEqual(asked, []);
  // local: the same listener asks the desk's own slug service
  load({ CMS: cms, DESK_DATA: DATA, h: () => null, createClass: (spec) => spec,
    fetch: async (url) => { asked.push(url); return { ok: true, json: async () => ({ slug: 'khao-mai' }) }; } });
  assert.doesNotMatch(registered.locale.ui.toast.entryPublished, /ครึ่งชั่วโมง/);
  const saved = await registered.listener.handler({ entry: record({ collection: 'news', newRecord: true,
    data: record({ Title: 'ข่าวใหม่', Date: '2567-06-05' }) }) });
  assert.equal(saved.values.Slug, 'khao-mai');
  assert.deepEqual(asked, ['/desk/api/slug?title=' + encodeURIComponent('ข่าวใหม่')]);
});

test('the Thai wording: local mode saves, it does not publish', () => {
  const registered = {};
  const cms = {
    registerCustomFormat: (name, extension, formatter) => { registered.format = [name, extension, formatter]; },
    getLocale: () => ({ editor: { editorToolbar: { publish: 'เผยแพร่', save: 'บันทึก' } } }),
    registerLocale: (name, phrases) => { registered.locale = [name, phrases]; },
    registerEventListener: (listener) => { registered.listener = listener; },
    registerWidget: (name, control) => { registered.widget = [name, control]; },
    init: () => { registered.init = true; },
  };
  load({ CMS: cms, DESK_DATA: DATA, h: () => null, createClass: (spec) => spec });
  assert.equal(registered.format[0], 'pelican');
  assert.equal(registered.format[1], 'md');
  assert.equal(registered.locale[0], 'th');
  assert.equal(registered.locale[1].editor.editorToolbar.publish, 'บันทึก');
  assert.equal(registered.locale[1].editor.editorToolbar.save, 'บันทึก');  // the rest of Decap's Thai kept
  assert.equal(registered.listener.name, 'preSave');
  assert.equal(registered.widget[0], 'desk-slug');
  assert.ok(registered.init);
});
