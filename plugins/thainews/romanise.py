"""Thai words in the Royal Thai General System (RTGS), for readable slugs (issue 16, point 1).

Two sources, the first that knows a word wins:

1. **The romanisation lexicon**, `content/romanisation.txt`: names and the programme's own
   words as people should read them (`คุณธรรม = khunnatham`, the districts as
   thainews.districts spells them, `แม่สาย = mae-sai`), which officers extend like
   `content/lexicon.txt`. `RomanisationLexicon.read` checks every line and names the file, the
   line and the fix of each problem, in Thai and English.
2. **PyThaiNLP 5.4's thai2rom model** (`romanize(word, engine="thai2rom_onnx")`: a small
   sequence-to-sequence network whose ONNX files are inside the pythainlp wheel; it needs
   `onnxruntime`). `Thai2Rom` runs those files the way that engine does (greedy decoding,
   stopped at `<end>` or at a short cycle repeating three times, PyThaiNLP's own test), but
   with sessions of one thread: about 30 ms to load instead of about 0.8 s (the engine's
   sessions start a pool of threads each), about 2 ms a word instead of 7, and safe to use in
   a process forked after loading (no threads to lose). The files are found with PyThaiNLP's
   list of the corpora it ships; nothing is ever downloaded.

The model is far better than PyThaiNLP's rule-based `royin` engine (`ปีใหม่`: pimai, not pihaim;
`ทดสอบ`: thotsop, not thadasop), but misses some words (`อาสาสมัคร`: asasamakkhon). The
lexicon is for those. bench/slug_bench.py measures both (`make bench`).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import parallel
from .problems import Problem
from .text import clean_thai

LEXICON_NAME = "romanisation.txt"
ROMANISATION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Thai letters, vowels and marks (no digit, ฯ or space), and a full stop at the end for an
# abbreviation (`อ. = amphoe`)
_THAI_ONLY = re.compile(r"^[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+\.?$")
_MODEL_FILES = ("thai2rom_encoder_onnx", "thai2rom_decoder_onnx", "thai2rom_config_onnx")
_REPEAT_MIN_CYCLES = 3  # as pythainlp.transliterate.thai2rom_onnx
_MAX_LENGTH = 100


def engine_version() -> str:
    """What the model's romanisations depend on: a cache made with another is not used."""
    from importlib.metadata import version

    return f"thai2rom_onnx pythainlp {version('pythainlp')} onnxruntime {version('onnxruntime')} decode 1"


class Thai2Rom:
    """PyThaiNLP's thai2rom_onnx model, loaded once: `model(word)` is the word in Latin letters."""

    def __init__(self):
        with parallel.threads_without_signals():  # numpy and onnxruntime start threads on import
            import numpy
            import onnxruntime
        from pythainlp.corpus import get_corpus_default_db
        from pythainlp.transliterate._repetition import find_trailing_repeat_period

        paths = [get_corpus_default_db(name) for name in _MODEL_FILES]
        if not all(path and Path(path).is_file() for path in paths):
            raise FileNotFoundError(
                "ไม่พบไฟล์โมเดล thai2rom_onnx ใน pythainlp ที่ติดตั้งไว้ (pythainlp 5.4 มีไฟล์นี้มาด้วย): "
                "ติดตั้งใหม่ด้วย make venv / the thai2rom_onnx model files are not in the installed pythainlp "
                f"(5.4 ships them): reinstall with `make venv` ({', '.join(str(path) for path in paths)})")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only

        def session(path):
            return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])

        self._np = numpy
        self._repeat = find_trailing_repeat_period
        with parallel.threads_without_signals():  # and perhaps when a session starts
            self._encoder, self._decoder = session(paths[0]), session(paths[1])
        config = json.loads(Path(paths[2]).read_text(encoding="utf-8"))
        self._char_to_ix: dict[str, int] = config["char_to_ix"]
        self._ix_to_target = {int(index): char for index, char in config["ix_to_target_char"].items()}
        self._start = config["target_char_to_ix"]["<start>"]
        self._end = config["target_char_to_ix"]["<end>"]
        self._encoder_outputs = [output.name for output in self._encoder.get_outputs()]
        self._decoder_outputs = [output.name for output in self._decoder.get_outputs()][:2]

    def __call__(self, word: str) -> str:
        np = self._np
        unknown = self._char_to_ix["<UNK>"]
        ids = [self._char_to_ix.get(char, unknown) for char in word] + [self._char_to_ix["<end>"]]
        source = np.array([ids], dtype=np.int64)
        outputs, hidden, _ = self._encoder.run(
            self._encoder_outputs, {"input_tensor": source, "input_lengths": np.array([len(ids)], dtype=np.int32)})
        hidden = np.expand_dims(np.concatenate((hidden[0], hidden[1]), axis=1), axis=0)  # both directions
        mask = (source[:, :outputs.shape[1]] != 0).astype(np.float32)
        token = np.array([[self._start]], dtype=np.int32)
        tokens: list[int] = []
        for _ in range(_MAX_LENGTH):
            scores, hidden = self._decoder.run(self._decoder_outputs, {
                "decoder_input": token, "decoder_hidden_1": hidden, "encoder_outputs": outputs, "mask": mask})
            best = int(scores[0].argmax())
            if best == self._end:
                break
            tokens.append(best)
            period = self._repeat(tokens, min_repeats=_REPEAT_MIN_CYCLES)
            if period is not None:  # stuck in a loop: keep one copy of the cycle
                del tokens[len(tokens) - period * (_REPEAT_MIN_CYCLES - 1):]
                break
            token = np.array([[best]], dtype=np.int32)
        return "".join(self._ix_to_target[index] for index in tokens)


@dataclass
class RomanisationLexicon:
    """`คำ = romanisation` lines: Thai (normalised as titles are) -> lowercase ASCII words joined
    by hyphens. Text after `#` is a comment."""

    entries: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path, shown: str) -> "RomanisationLexicon":
        """The lexicon at `path` (empty when there is none); a bad line is left out and named."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as error:
            return cls({}, [_problem(shown, 1, f"อ่านไฟล์ไม่ได้ ({error}): บันทึกใหม่เป็น UTF-8",
                                     f"cannot read the file ({error}): save it again as UTF-8")])
        return cls.parse(text, shown)

    @classmethod
    def parse(cls, text: str, shown: str) -> "RomanisationLexicon":
        lexicon = cls()
        lines: dict[str, int] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            thai, equals, latin = (part.strip() for part in line.partition("="))
            if not equals or not thai or not latin:
                lexicon.problems.append(_problem(
                    shown, number, f"เขียนบรรทัดแบบ คำ = คำอ่านอักษรโรมัน (คุณธรรม = khunnatham) ไม่ใช่ '{line}'",
                    f"write the line as `word = romanisation` (คุณธรรม = khunnatham), not '{line}'"))
                continue
            word = clean_thai(thai)
            if not _THAI_ONLY.match(word):
                lexicon.problems.append(_problem(
                    shown, number, f"ด้านซ้ายต้องเป็นคำภาษาไทยล้วน ไม่มีเว้นวรรค ตัวเลข หรืออักษรอื่น (มีจุดท้ายคำย่อได้ เช่น อ.) ('{thai}')",
                    f"the left side must be a Thai word alone: no space, digit or other letters (an abbreviation may "
                    f"end in a full stop: อ.) ('{thai}')"))
                continue
            if not ROMANISATION.match(latin):
                lexicon.problems.append(_problem(
                    shown, number,
                    f"คำอ่าน '{latin}' ใช้ได้เฉพาะ a-z ตัวพิมพ์เล็ก 0-9 และขีด - คั่นคำ (ไม่มีวรรณยุกต์หรือเครื่องหมาย"
                    f"สระยาว ตามระบบถอดอักษรของราชบัณฑิตยสถาน เช่น mae-sai)",
                    f"the romanisation '{latin}' may hold only lowercase a-z, 0-9 and hyphens between words "
                    f"(no tone or length marks: the Royal Thai General System writes none; e.g. mae-sai)"))
                continue
            if word in lines:
                lexicon.problems.append(_problem(
                    shown, number, f"'{thai}' มีอยู่แล้วที่บรรทัด {lines[word]}: เก็บไว้บรรทัดเดียว",
                    f"'{thai}' is already on line {lines[word]}: keep one of the two lines"))
                continue
            lines[word] = number
            lexicon.entries[word] = latin
        return lexicon


def _problem(shown: str, line: int, thai: str, english: str) -> Problem:
    return Problem(shown, line, "", f"คำอ่านสำหรับที่อยู่เว็บ: {thai}", f"romanisation for web addresses: {english}")
