/* The officers' desk (issue 17): our file format, our Thai wording and the save hook for Decap
 * CMS, loaded by index.html after decap-cms.js and desk-data.js (no inline script: the page's CSP).
 *
 * The format "pelican" reads and writes the files officers, `make new` and `make import` write:
 * a header of `Key: value` lines (as Python-Markdown's meta extension reads it, which is what the
 * build reads), a blank line, the story in Markdown. Opening and saving a file changes nothing in
 * it; changing a field rewrites that field's line only; new fields go in `make new`'s order.
 * It keeps the file as it was read in the hidden data key `_desk` (Decap keeps keys it does not
 * know through editing). Plain ES2019, no build step; desk/tests/format.test.mjs runs it in Node
 * with the same DESK_DATA (newsroom/desk_config.py desk_data()).
 */
(function (root) {
  'use strict';

  var META_RE = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)/;
  var MORE_RE = /^[ ]{4,}(.*)/;
  var BEGIN_RE = /^-{3}(\s.*)?/;
  var END_RE = /^(-{3}|\.{3})(\s.*)?/;
  var LEAD_RE = /^(?:(?:-{3}|\.{3})[^\n]*\n)?(?:[ \t\r]*\n)*/;
  var EVENT_ONLY = ['Start', 'End', 'Location', 'District', 'Organizer', 'Contact', 'Link', 'Article'];

  function lookupKey(text) {
    return String(text).normalize('NFC').split(/\s+/).filter(Boolean).join(' ').toLowerCase();
  }

  function thaiDigits(text) {
    return String(text).replace(/[\u0E50-\u0E59]/g, function (digit) {
      return String(digit.charCodeAt(0) - 0x0e50);
    });
  }

  function makeFormat(data) {
    var body = data.body;
    var lists = data.listFields;
    var known = {};
    var allFields = [];
    ['article', 'event', 'page'].forEach(function (kind) {
      data.fields[kind].forEach(function (name) {
        if (!(name.toLowerCase() in known)) {
          known[name.toLowerCase()] = name;
          allFields.push(name);
        }
      });
    });

    function parseValue(name, raw) {
      if (lists.indexOf(name) >= 0) {
        return raw.replace(/[;、，]/g, ',').split(',').map(function (item) { return item.trim(); })
          .filter(Boolean).map(function (item) {
            return name === 'Networks' ? data.networks[lookupKey(item)] || item : item;
          });
      }
      if (name === 'District') {
        var key = lookupKey(raw);
        var found = data.districts[key];
        ['อำเภอ', 'อ.'].forEach(function (prefix) {
          if (!found && key.indexOf(prefix) === 0) found = data.districts[key.slice(prefix.length).trim()];
        });
        return found || raw;
      }
      return raw;
    }

    function serialize(value) {
      if (value === null || value === undefined) return '';
      if (Array.isArray(value)) return value.map(function (item) { return String(item).trim(); }).filter(Boolean).join(', ');
      return String(value).replace(/\r\n?/g, '\n').trim();
    }

    function line(key, value) {
      // A value over several lines: continuation lines of four spaces, as the header allows.
      return (key + ': ' + value.split('\n').map(function (part) { return part.trim(); })
        .filter(Boolean).join('\n    ')).trimEnd();
    }

    function split(text) {
      var lines = text.split('\n');
      var index = 0;
      var items = [];
      var begin = null;  // a `---` first line, which the meta extension skips
      if (lines.length > 1 && BEGIN_RE.test(lines[0]) && META_RE.test(lines[1])) {
        begin = lines[0];
        index = 1;
      }
      while (index < lines.length) {
        var current = lines[index];
        if (current.trim() === '' || END_RE.test(current)) break;
        var match = META_RE.exec(current);
        var more = MORE_RE.exec(current);
        if (match) {
          items.push({ key: match[1], lines: [current], values: [match[2].trim()] });
        } else if (more && items.length) {
          items[items.length - 1].lines.push(current);
          items[items.length - 1].values.push(more[1].trim());
        } else {
          break;
        }
        index += 1;
      }
      if (!items.length) {
        index = 0;
        begin = null;
      }
      var rest = index < lines.length ? lines.slice(index).join('\n') : '';
      var sep = index > 0 && index < lines.length ? '\n' : '';
      var lead = items.length ? LEAD_RE.exec(rest)[0] : '';
      // text === header lines + sep + lead + body, always
      return { begin: begin, items: items, sep: sep, lead: lead, body: rest.slice(lead.length) };
    }

    function fromFile(text) {
      var parts = split(text);
      var result = {};
      var items = parts.items.map(function (item) {
        var name = known[item.key.toLowerCase()];
        var own = name && !(name in result);  // a repeated key stays as it was written
        if (own) result[name] = parseValue(name, item.values.join('\n'));
        return { key: item.key, name: own ? name : null, lines: item.lines, value: own ? result[name] : null };
      });
      result[body] = parts.body;
      result._desk = { items: items, begin: parts.begin, sep: parts.sep, lead: parts.lead, body: parts.body };
      return result;
    }

    function newFieldOrder(entry) {
      var isEvent = EVENT_ONLY.some(function (name) { return serialize(entry[name]) !== ''; });
      var first = isEvent ? data.fields.event : data.fields.article;
      return first.concat(allFields.filter(function (name) { return first.indexOf(name) < 0; }));
    }

    function toFile(entry) {
      var desk = entry._desk;
      var out = [];
      var seen = {};
      if (desk && desk.begin !== null && desk.begin !== undefined) out.push(desk.begin);
      (desk ? desk.items : []).forEach(function (item) {
        if (!item.name) {
          out.push.apply(out, item.lines);
          return;
        }
        seen[item.name] = true;
        var now = serialize(entry[item.name]);
        if (now === serialize(item.value)) {
          out.push.apply(out, item.lines);
        } else if (now !== '') {
          out.push(line(item.key, now));
        } // emptied: the line goes
      });
      newFieldOrder(entry).forEach(function (name) {
        var value = serialize(entry[name]);
        if (!seen[name] && value !== '') out.push(line(name, value));
      });
      var text = entry[body] === null || entry[body] === undefined ? '' : String(entry[body]);
      var header = out.join('\n');
      if (desk && text === desk.body) {
        // The story as it was (and, when no field changed either, the file as it was, to the byte).
        if (!out.length) return desk.body;
        return header + (desk.items.length ? desk.sep + desk.lead : '\n\n') + desk.body;
      }
      var between = desk && desk.items.length && desk.lead ? desk.sep + desk.lead : '\n\n';
      var story = text.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
      if (!out.length) return story + '\n';
      return header + (story ? between + story + '\n' : '\n');
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  // The Buddhist-era year of a date as officers write it (2567-06-05, or 2024-06-05 in the
  // Common Era), for the news folder content/news/<year>/; null when it cannot be read.
  function beYear(data, value) {
    var match = /^(\d{4})-/.exec(thaiDigits(value || '').trim());
    if (!match) return null;
    var year = Number(match[1]);
    if (year >= data.beYears[0] && year <= data.beYears[1]) return year;
    if (year >= data.ceYears[0] && year <= data.ceYears[1]) return year + data.beOffset;
    return null;
  }

  // Decap's Thai, where local mode makes it wrong or unclear: "publish" only saves the file.
  // Hosted (make publish with DESK_HOSTED), a save is a commit that the CI publishes: HOSTED_THAI.
  var THAI = {
    editor: {
      editorToolbar: {
        publish: 'บันทึก',
        publishing: 'กำลังบันทึก...',
        published: 'บันทึกแล้ว',
        publishAndCreateNew: 'บันทึก และเขียนใหม่',
        publishAndDuplicate: 'บันทึก และทำสำเนา',
        publishNow: 'บันทึกตอนนี้',
        deletePublishedEntry: 'ลบไฟล์นี้',
        changesSaved: 'บันทึกการเปลี่ยนแปลงแล้ว',
      },
    },
    ui: {
      toast: {
        onFailToPersist: 'บันทึกไม่ได้: %{details}',
        entryPublished: 'บันทึกแล้ว: ตัวอย่างบนเว็บจะแสดงในไม่กี่วินาที',
      },
    },
  };

  var HOSTED_THAI = merged(THAI, {
    ui: {
      toast: {
        entryPublished: 'บันทึกแล้ว: เว็บไซต์จะแสดงเรื่องนี้เมื่อระบบทดสอบและสร้างเว็บเสร็จ (ราวครึ่งชั่วโมง)',
      },
    },
  });

  function merged(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      out[key] = extra[key] && typeof extra[key] === 'object' ? merged(base && base[key] || {}, extra[key]) : extra[key];
    });
    return out;
  }

  // The file a story is (or will be) saved as, for the build's checks: its own path, or for a
  // new story the one Decap will give it (the collection's folder, the year for news, the Slug).
  function entryPath(data, collection, entry, fields) {
    if (!entry.get('newRecord') && entry.get('path')) return entry.get('path');
    var folder = (data.folders || {})[collection];
    if (!folder) return null;
    var slug = String(fields.get('Slug') || '').trim().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
    if (collection === 'news') folder += '/' + (beYear(data, fields.get('Date')) || 'new');
    return folder + '/' + (slug || 'new') + '.md';
  }

  // check(collection, entry, fields): the problems the build would report for the story as it
  // would be saved ({problems: [{line, field, thai, english, severity}], errors: n}), from
  // `make desk`'s /desk/api/check (newsroom/desk_check.py: the build's own validator); null when
  // it cannot be asked (the desk's server is gone, or a hosted editor: there CI's checks apply).
  function checker(data, format, post) {
    return async function (collection, entry, fields) {
      var path = entryPath(data, collection, entry, fields);
      if (!path) return null;
      var raw = format.toFile(typeof fields.toJS === 'function' ? fields.toJS() : fields.values || fields);
      // pictures uploaded into the story but kept in the browser until it is saved
      var media = entry.get('mediaFiles');
      var uploading = (media && typeof media.toJS === 'function' ? media.toJS() : media || [])
        .filter(function (file) { return file && file.draft; }).map(function (file) { return String(file.path); });
      try {
        return await post(uploading.length ? { path: path, raw: raw, uploading: uploading } : { path: path, raw: raw });
      } catch (error) {
        return null;
      }
    };
  }

  function describe(problem, language) {
    var where = (problem.field ? '[' + problem.field + '] ' : '') +
      (problem.line ? (language === 'thai' ? 'บรรทัด ' : 'line ') + problem.line + ': ' : '');
    return where + problem[language];
  }

  function errorsOf(answer) {
    return ((answer && answer.problems) || []).filter(function (problem) { return problem.severity === 'error'; });
  }

  // The message of a save refused because the build would refuse the story.
  function blockingMessage(errors) {
    return 'ข่าวนี้มีข้อผิดพลาด ' + errors.length + ' จุดที่ต้องแก้ก่อนบันทึก (รายการอยู่ในช่องตัวอย่าง): ' +
      errors.map(function (problem) { return describe(problem, 'thai'); }).join(' · ') +
      ' / this story has ' + errors.length + ' error(s) to fix before saving: ' +
      errors.map(function (problem) { return describe(problem, 'english'); }).join(' · ');
  }

  function preSave(data, check, fetchSlug) {
    return async function (event) {
      var entry = event.entry;
      var fields = entry.get('data');
      if (entry.get('collection') === 'news') {
        var year = beYear(data, fields.get('Date'));
        if (!year) {
          throw new Error('อ่านปีของวันที่ข่าว (Date) ไม่ได้: เขียนเป็น ปี-เดือน-วัน เช่น 2567-06-05 / ' +
            'cannot read the year of Date: write year-month-day, e.g. 2567-06-05');
        }
        fields = fields.set(data.yearField, String(year));
      }
      if (entry.get('newRecord') && /^images\/[^/]*-\//.test(String(fields.get('Image') || ''))) {
        // The picture was added before the story had a Slug: its folder would be images/<date>-/.
        throw new Error('รูปหน้าปกถูกเพิ่มก่อนมี Slug: เอารูปออก ใส่ Slug (หรือคลิกช่อง Slug) แล้วเพิ่มรูปอีกครั้ง / ' +
          'the cover picture was added before the story had a Slug: remove it, fill in the Slug, then add it again');
      }
      if (entry.get('newRecord') && !String(fields.get('Slug') || '').trim()) {
        var slug = await fetchSlug(String(fields.get('Title') || ''));
        if (!slug) {
          // The hosted editor has no slug service (and the local one none for an empty Title):
          // without a Slug the file would have no name.
          throw new Error('ใส่ที่อยู่เว็บ (Slug) ของเรื่องใหม่ก่อนบันทึก: อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น ' +
            'moral-province-meeting / fill in the Slug of a new story before saving: lowercase ASCII letters, ' +
            'digits and hyphens, e.g. moral-province-meeting');
        }
        fields = fields.set('Slug', slug);
      }
      if (check) {  // the build's own checks: a story it would refuse is not written (warnings do not block)
        var errors = errorsOf(await check(entry.get('collection'), entry, fields));
        if (errors.length) throw new Error(blockingMessage(errors));
      }
      return fields;
    };
  }

  // The Slug of a new story, filled in from its Title as the officer types it (the slug the build
  // would give: `make new`'s, through /desk/api/slug), so that its cover picture goes into the
  // story's own folder (images/<date>-<slug>/) from the first upload. A Slug the officer writes
  // is left alone; so is an existing file's (its address is kept in content/slugs.json).
  function slugWidget(h, createClass, fetchSlug) {
    return createClass({
      componentDidMount: function () { this.fill(); },
      componentDidUpdate: function () { this.fill(); },
      componentWillUnmount: function () { clearTimeout(this.timer); },
      fill: function () {
        var entry = this.props.entry;
        var title = entry ? String(entry.getIn(['data', 'Title']) || '').trim() : '';
        if (!entry || !entry.get('newRecord') || this.typed || !title || title === this.title) return;
        this.title = title;
        var self = this;
        clearTimeout(this.timer);
        this.timer = setTimeout(function () {
          fetchSlug(title).then(function (slug) {
            if (slug && !self.typed && self.title === title) self.props.onChange(slug);
          });
        }, 300);
      },
      render: function () {
        var self = this;
        return h('input', {
          id: this.props.forID, type: 'text', className: this.props.classNameWrapper,
          value: this.props.value || '', pattern: '[a-z0-9]+(-[a-z0-9]+)*', spellCheck: false,
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          onChange: function (event) {
            self.typed = event.target.value !== '';
            self.props.onChange(event.target.value);
          },
        });
      },
    });
  }

  // ------------------------------------------------------------------------- dates (thaidate)
  // A date as officers write it: `2567-06-05` (Buddhist Era) or `2024-06-05` (Common Era), Thai
  // or Arabic digits, optionally with a time `19:00` (or `19:00:30`, or `T19:00`): the build's own
  // pattern (thainews/dates.py `_ISO_LIKE`, `parse_news_date`, whose years are data.beYears/ceYears).
  var DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

  function pad(number) { return (number < 10 ? '0' : '') + number; }

  // {year (CE), month, day, time ('19:00', '19:00:30' or ''), era ('BE' or 'CE')} of a value, or
  // null when the build could not read it (it says why: the desk's check view).
  function readDate(data, value) {
    var match = DATE_RE.exec(thaiDigits(value === null || value === undefined ? '' : value).trim());
    if (!match) return null;
    var year = Number(match[1]);
    var era = year >= data.beYears[0] && year <= data.beYears[1] ? 'BE' :
      year >= data.ceYears[0] && year <= data.ceYears[1] ? 'CE' : null;
    if (!era) return null;
    if (era === 'BE') year -= data.beOffset;
    var month = Number(match[2]);
    var day = Number(match[3]);
    var calendar = new Date(Date.UTC(year, month - 1, day));
    if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
    var time = '';
    if (match[4] !== undefined) {
      var hour = Number(match[4]);
      var minute = Number(match[5]);
      var second = match[6] === undefined ? null : Number(match[6]);
      if (hour > 23 || minute > 59 || (second !== null && second > 59)) return null;
      time = pad(hour) + ':' + pad(minute) + (second === null ? '' : ':' + pad(second));
    }
    return { year: year, month: month, day: day, time: time, era: era };
  }

  // What the browser's pickers show for a value: {date: 'YYYY-MM-DD' (Common Era, as <input
  // type=date> takes it), time: 'HH:MM' or ''}; both empty when the value cannot be read.
  function pickerValues(data, value) {
    var date = readDate(data, value);
    if (!date) return { date: '', time: '' };
    return { date: date.year + '-' + pad(date.month) + '-' + pad(date.day), time: date.time };
  }

  // The value the officer's pick writes, as officers write it: `2567-06-05` or `2567-06-05 19:00`
  // (Buddhist Era); '' when the picked date is not one (an unfinished pick).
  function writtenDate(data, pickedDate, time) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(pickedDate || '');
    if (!match) return '';
    var written = (Number(match[1]) + data.beOffset) + '-' + match[2] + '-' + match[3];
    var clock = /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(time || '');
    if (clock) written += ' ' + clock[1] + ':' + clock[2] + (clock[3] && clock[3] !== '00' ? ':' + clock[3] : '');
    return written;
  }

  // `5 มิถุนายน 2567` (and ` เวลา 19:00 น.`): how the site shows the value; '' when empty,
  // null when it cannot be read.
  function thaiReading(data, value) {
    if (!String(value === null || value === undefined ? '' : value).trim()) return '';
    var date = readDate(data, value);
    if (!date) return null;
    var text = date.day + ' ' + data.thaiMonths[date.month - 1] + ' ' + (date.year + data.beOffset);
    return date.time ? text + ' เวลา ' + date.time.slice(0, 5) + ' น.' : text;
  }

  // The date field: the value as written (a text field: what is there is shown and kept byte for
  // byte until the officer changes it, and what the build cannot read stays as typed, for the check
  // view to explain), a calendar and an optional time (the browser's pickers, in the Common Era;
  // a pick writes the Buddhist-era `2567-06-05 19:00`), and the date read out in Thai.
  function dateWidget(h, createClass, data) {
    return createClass({
      pick: function (date, time) {
        var written = writtenDate(data, date, time);
        if (written) this.props.onChange(written);
      },
      render: function () {
        var self = this;
        var id = this.props.forID;
        var value = this.props.value === null || this.props.value === undefined ? '' : String(this.props.value);
        var shown = pickerValues(data, value);
        var reading = thaiReading(data, value);
        var small = { display: 'inline-flex', alignItems: 'center', gap: '.4em', margin: '.5em 1.5em 0 0', fontSize: '15px' };
        return h('div', { className: 'desk-thaidate' },
          h('input', {
            id: id, type: 'text', className: this.props.classNameWrapper, value: value, spellCheck: false,
            inputMode: 'numeric', 'aria-describedby': id + '-reading',
            onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
            onChange: function (event) { self.props.onChange(event.target.value); },
          }),
          h('div', {},
            h('label', { style: small, htmlFor: id + '-picker' }, 'เลือกจากปฏิทิน',
              h('input', { id: id + '-picker', type: 'date', value: shown.date, lang: 'th',
                'aria-label': 'เลือกวันที่จากปฏิทิน / pick the date',
                onChange: function (event) { self.pick(event.target.value, shown.time); } })),
            h('label', { style: small, htmlFor: id + '-time' }, 'เวลา (ไม่ใส่ก็ได้)',
              h('input', { id: id + '-time', type: 'time', value: shown.time, disabled: !shown.date,
                step: shown.time.length > 5 ? 1 : 60, 'aria-label': 'เวลา ไม่ใส่ก็ได้ / the time, optional',
                onChange: function (event) { self.pick(shown.date, event.target.value); } }))),
          h('p', { id: id + '-reading', className: 'desk-thaidate-reading', 'aria-live': 'polite',
            style: { margin: '.4em 0 0', color: reading === null ? '#b91c1c' : '#333' } },
          reading === null ? 'อ่านวันที่นี้ไม่ได้: เขียนเป็น ปี-เดือน-วัน เช่น 2567-06-05 หรือเลือกจากปฏิทิน / ' +
            'cannot read this date: write year-month-day, e.g. 2567-06-05, or pick it' : reading));
      },
    });
  }

  // React style objects (inline styles: the admin page's policy allows them; no stylesheet to load)
  var BOX = { font: '15px/1.5 sans-serif', borderRadius: '6px', padding: '.5em 1em', margin: '0 0 1.5em' };
  var CHECK_STYLE = {
    box: Object.assign({ border: '2px solid #b45309' }, BOX),
    good: Object.assign({ border: '2px solid #15803d' }, BOX),
    error: { color: '#b91c1c' },
    warning: { color: '#92400e' },
    english: { display: 'block', color: '#555', fontSize: '90%' },
  };

  // ------------------------------------------------------------------------- the album (desk-photos)
  var PHOTO_TYPES = '.jpg,.jpeg,.png,.webp,.heic,.heif,image/jpeg,image/png,image/webp,image/heic,image/heif';
  var HOSTED_PHOTOS_NOTE = 'อัปโหลดรูปอัลบั้มได้ในโต๊ะข่าวบนเครื่อง (make desk) เท่านั้น: ที่นี่พิมพ์ชื่อโฟลเดอร์รูป ' +
    'เช่น images/2567-06-05-ชื่อข่าว แล้วเพิ่มรูปและ captions.txt เข้าโฟลเดอร์นั้นในคลังข้อมูล / album uploads work ' +
    'in the desk on your computer (make desk) only: here type the folder\'s name and add the photos and captions.txt ' +
    'to that folder in the repository';

  // A file of the officer's as the album endpoint takes it: {name, content (base64)}.
  function readPhoto(file) {
    return new Promise(function (resolve, reject) {
      var reader = new root.FileReader();
      reader.onload = function () { resolve({ name: file.name, content: String(reader.result).split(',', 2)[1] || '' }); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    });
  }

  // The album of a story: `Photos:` names a folder of content/images/ (a new story's is made on the
  // first upload: images/<date>-<slug>, as `make new PHOTOS=` names it). The widget lists its photos
  // (small copies from /desk/api/thumbnail), uploads more (several at once) and edits each photo's
  // caption, which `make desk` writes into the folder's captions.txt (newsroom/desk_photos.py). The
  // folder's name stays a text field: an existing folder can be typed. A hosted editor has no such
  // server: there it is the text field and a note.
  function photosWidget(h, createClass, data, post, fetchSlug) {
    function request(url) {
      return root.fetch(url).then(function (answer) {
        return answer.json().then(function (json) {
          if (!answer.ok) throw new Error(json.error);
          return json;
        });
      });
    }
    return createClass({
      getInitialState: function () { return { listing: null, drafts: {}, busy: false, message: '', failed: false }; },
      componentDidMount: function () { this.load(); },
      componentDidUpdate: function (previous) {
        // a folder typed (or another story's), not the one an upload just named: list it
        if (previous.value !== this.props.value && this.folder() !== this.named) this.load();
      },
      componentWillUnmount: function () { clearTimeout(this.timer); this.gone = true; },
      folder: function () { return String(this.props.value || '').trim(); },
      load: function () {
        var self = this;
        var folder = this.folder();
        clearTimeout(this.timer);
        if (!data.photosApi || !folder) { this.setState({ listing: null }); return; }
        this.timer = setTimeout(function () {
          request(data.photosApi + '?folder=' + encodeURIComponent(folder)).then(function (listing) {
            if (!self.gone && self.folder() === folder) self.shown(listing, '');
          }, function (error) {
            if (!self.gone) self.setState({ listing: null, message: String(error.message), failed: true });
          });
        }, 300);
      },
      shown: function (listing, message) {
        var drafts = {};
        listing.photos.forEach(function (photo) { drafts[photo.name] = photo.caption; });
        this.setState({ listing: listing, drafts: drafts, busy: false, message: message, failed: false });
      },
      send: function (body, done) {
        var self = this;
        this.setState({ busy: true, message: 'กำลังบันทึก… / saving…', failed: false });
        return post(body).then(function (listing) {
          if (self.gone) return;
          self.named = listing.folder;
          if (listing.folder !== self.folder()) self.props.onChange(listing.folder);
          self.shown(listing, done(listing));
        }, function (error) {
          if (!self.gone) self.setState({ busy: false, message: String(error.message), failed: true });
        });
      },
      upload: async function (files) {
        var self = this;
        if (!files.length) return;
        var body = { photos: await Promise.all(Array.prototype.map.call(files, readPhoto)) };
        var folder = this.folder();
        if (folder) {
          body.folder = folder;
        } else {
          // the story as it is now (`entry` is the one this field last rendered with: Decap does not
          // re-render a field when the others change; `getEntry` reads the editor's store)
          var fields = (this.props.getEntry ? this.props.getEntry() : this.props.entry).get('data');
          body.date = String(fields.get('Date') || '');
          body.slug = String(fields.get('Slug') || '').trim() || await fetchSlug(String(fields.get('Title') || '').trim());
        }
        return this.send(body, function (listing) {
          return 'เพิ่มรูปแล้ว ' + listing.added.length + ' รูป: ' + listing.added.join(', ') + ' / added ' + listing.added.length +
            ' photo(s)';
        });
      },
      caption: function (name) {
        var text = this.state.drafts[name] || '';
        var photo = (this.state.listing.photos || []).filter(function (item) { return item.name === name; })[0];
        if (!photo || photo.caption === text.split(/\s+/).filter(Boolean).join(' ')) return;
        var captions = {};
        captions[name] = text;
        return this.send({ folder: this.folder(), captions: captions }, function () {
          return 'บันทึกคำบรรยายของ ' + name + ' แล้ว / caption saved';
        });
      },
      render: function () {
        var self = this;
        var id = this.props.forID;
        var folder = h('input', {
          id: id, type: 'text', className: this.props.classNameWrapper, value: this.props.value || '', spellCheck: false,
          'aria-describedby': id + '-status', onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          onChange: function (event) { self.props.onChange(event.target.value); },
        });
        if (!data.photosApi) {
          return h('div', { className: 'desk-photos' }, folder,
            h('p', { id: id + '-status', className: 'desk-photos-note', style: { margin: '.4em 0 0' } }, HOSTED_PHOTOS_NOTE));
        }
        var listing = this.state.listing;
        var photos = listing ? listing.photos : [];
        var line = { display: 'flex', gap: '.75em', alignItems: 'center', margin: '.5em 0' };
        return h('div', { className: 'desk-photos' }, folder,
          h('label', { htmlFor: id + '-upload', style: line },
            'เพิ่มรูปลงอัลบั้ม (เลือกได้หลายรูป: JPEG, PNG, WebP, HEIC)',
            h('input', { id: id + '-upload', type: 'file', multiple: true, accept: PHOTO_TYPES, disabled: this.state.busy,
              onChange: function (event) {
                var files = Array.prototype.slice.call(event.target.files || []);
                event.target.value = '';
                self.upload(files);
              } })),
          photos.length ? h('ol', { className: 'desk-photos-list', style: { listStyle: 'none', padding: 0 } },
            photos.map(function (photo, index) {
              var captionId = id + '-caption-' + index;
              return h('li', { key: photo.name, style: line },
                h('img', { src: data.thumbnailApi + '?photo=' + encodeURIComponent(listing.folder + '/' + photo.name),
                  alt: '', width: 120, style: { objectFit: 'cover', height: '80px', borderRadius: '4px' } }),
                h('label', { htmlFor: captionId, style: { flex: '1' } },
                  h('span', { style: { display: 'block' } }, 'คำบรรยายรูปที่ ' + (index + 1) + ' (' + photo.name + ')'),
                  h('input', { id: captionId, type: 'text', value: self.state.drafts[photo.name] || '',
                    'data-photo': photo.name, style: { width: '100%', padding: '.4em', font: 'inherit' },
                    placeholder: 'บอกว่าในรูปมีอะไร (ใช้เป็นคำอธิบายรูปด้วย)',
                    onChange: function (event) {
                      var drafts = Object.assign({}, self.state.drafts);
                      drafts[photo.name] = event.target.value;
                      self.setState({ drafts: drafts });
                    },
                    onBlur: function () { self.caption(photo.name); },
                    onKeyDown: function (event) { if (event.key === 'Enter') { event.preventDefault(); self.caption(photo.name); } },
                  })));
            })) : null,
          h('p', { id: id + '-status', role: 'status', 'aria-live': 'polite',
            style: { margin: '.4em 0 0', color: this.state.failed ? '#b91c1c' : '#333' } },
          this.state.message || (listing ? 'อัลบั้มมี ' + photos.length + ' รูป / ' + photos.length + ' photo(s)' :
            'ยังไม่มีอัลบั้ม: เพิ่มรูปแล้วโต๊ะข่าวจะสร้างโฟลเดอร์ของข่าวนี้ให้ / no album yet: add photos')),
          listing && listing.problems.length ? h('ul', { className: 'desk-photos-problems', style: CHECK_STYLE.error },
            listing.problems.map(function (problem, index) {
              return h('li', { key: index }, problem.thai, h('span', { lang: 'en', style: CHECK_STYLE.english }, problem.english));
            })) : null);
      },
    });
  }

  // The preview of a story: what the build's checks say about it now (errors in red, warnings in
  // amber, Thai first), then the story. Checked half a second after the officer stops typing.
  function checkPreview(h, createClass, check, body) {
    function item(problem, index) {
      var style = problem.severity === 'error' ? CHECK_STYLE.error : CHECK_STYLE.warning;
      var label = problem.severity === 'error' ? 'ข้อผิดพลาด: ' : 'คำเตือน: ';
      return h('li', { key: index, style: style, 'data-severity': problem.severity },
        label + describe(problem, 'thai'), h('span', { lang: 'en', style: CHECK_STYLE.english }, describe(problem, 'english')));
    }
    return createClass({
      getInitialState: function () { return { answer: undefined }; },
      componentDidMount: function () { this.schedule(); },
      componentDidUpdate: function (previous) { if (previous.entry !== this.props.entry) this.schedule(); },
      componentWillUnmount: function () { clearTimeout(this.timer); this.gone = true; },
      schedule: function () {
        var self = this;
        clearTimeout(this.timer);
        this.timer = setTimeout(function () {
          var entry = self.props.entry;
          check(self.props.collection.get('name'), entry, entry.get('data')).then(function (answer) {
            if (!self.gone && self.props.entry === entry) self.setState({ answer: answer });
          });
        }, 500);
      },
      render: function () {
        var answer = this.state.answer;
        var problems = (answer && answer.problems) || [];
        var errors = errorsOf(answer).length;
        var summary;
        if (answer === undefined) summary = 'กำลังตรวจ… / checking…';
        else if (answer === null) summary = 'ตรวจไม่ได้ในตอนนี้: ระบบจะตรวจอีกครั้งเมื่อสร้างเว็บไซต์ / cannot check now: the build will';
        else if (!problems.length) summary = '✓ ไม่พบปัญหา: บันทึกได้ / no problems: ready to save';
        else summary = 'ข้อผิดพลาด ' + errors + ' จุด' + (errors ? ' (ต้องแก้ก่อนบันทึก)' : '') + ' คำเตือน ' +
          (problems.length - errors) + ' จุด / ' + errors + ' error(s), ' + (problems.length - errors) + ' warning(s)';
        var data = this.props.entry.get('data');
        return h('article', { lang: 'th' },
          h('section', { className: 'desk-check', role: 'status', 'aria-live': 'polite',
            style: answer && !problems.length ? CHECK_STYLE.good : CHECK_STYLE.box },
          h('strong', {}, 'ตรวจก่อนบันทึก: '), summary,
          problems.length ? h('ul', {}, problems.map(item)) : null),
          h('h1', {}, String(data.get('Title') || '')),
          this.props.widgetFor(body));
      },
    });
  }

  // "วางรายงานข่าว": the way to the paste-a-report page (paste.html), always on screen (Decap 3.16
  // has no API for a link of one's own in its menus).
  function pasteLink(document) {
    var link = document.createElement('a');
    link.id = 'desk-paste-link';
    link.href = 'paste.html';
    link.textContent = 'วางรายงานข่าว';
    link.title = 'วางรายงานข่าวเพื่อสร้างข่าวใหม่ / paste a report to make a new story';
    Object.assign(link.style, {
      position: 'fixed', left: '1rem', bottom: '1rem', zIndex: '1000', padding: '.5rem 1rem', borderRadius: '999px',
      background: '#1d4ed8', color: '#fff', font: '600 15px/1.4 sans-serif', textDecoration: 'none',
      boxShadow: '0 2px 6px rgba(0, 0, 0, .3)',
    });
    document.body.appendChild(link);
    return link;
  }

  var api = { pasteLink: pasteLink, makeFormat: makeFormat, slugWidget: slugWidget, beYear: beYear, THAI: THAI,
    HOSTED_THAI: HOSTED_THAI, merged: merged, preSave: preSave, checker: checker, entryPath: entryPath, checkPreview: checkPreview, blockingMessage: blockingMessage,
    readDate: readDate, pickerValues: pickerValues, writtenDate: writtenDate, thaiReading: thaiReading,
    dateWidget: dateWidget, photosWidget: photosWidget, HOSTED_PHOTOS_NOTE: HOSTED_PHOTOS_NOTE };
  root.DeskFormat = api;

  var CMS = root.CMS;
  if (CMS && root.DESK_DATA) {
    var data = root.DESK_DATA;
    var format = makeFormat(data);
    CMS.registerCustomFormat('pelican', 'md', format);
    CMS.registerLocale('th', merged(CMS.getLocale('th') || {}, data.hosted ? HOSTED_THAI : THAI));
    var fetchSlug = async function (title) {
      if (!data.slugApi || !title) return '';
      var answer = await root.fetch(data.slugApi + '?title=' + encodeURIComponent(title));
      return answer.ok ? (await answer.json()).slug : '';
    };
    // The build's checks and the paste page need `make desk`'s server: a hosted editor has neither.
    var check = data.hosted ? null : checker(data, format, async function (body) {
      var answer = await root.fetch('/desk/api/check', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      var json = await answer.json();
      if (answer.ok) return json;
      // refused (e.g. a file name the desk may not write): shown and blocking, in the server's words
      return { problems: [{ line: 0, field: '', thai: String(json.error), english: '', severity: 'error' }], errors: 1 };
    });
    CMS.registerWidget('desk-slug', slugWidget(root.h, root.createClass, fetchSlug));
    CMS.registerWidget('thaidate', dateWidget(root.h, root.createClass, data));
    CMS.registerWidget('desk-photos', photosWidget(root.h, root.createClass, data, async function (body) {
      var answer = await root.fetch(data.photosApi, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      var json = await answer.json();
      if (!answer.ok) throw new Error(json.error);
      return json;
    }, fetchSlug));
    Object.keys(data.folders || {}).forEach(function (collection) {
      CMS.registerPreviewTemplate(collection, checkPreview(root.h, root.createClass, check, data.body));
    });
    CMS.registerEventListener({ name: 'preSave', handler: preSave(data, check, fetchSlug) });
    CMS.init();
    if (!data.hosted && root.document && root.document.body) pasteLink(root.document);
  }
})(typeof window !== 'undefined' ? window : globalThis);
