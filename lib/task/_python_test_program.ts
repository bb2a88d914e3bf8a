/**
 * The Python test program that runs a list of examples against `main.py`. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";

/** The helpers every examples test starts with; names start with `_factory_` to stay out of the way. */
const PRELUDE = String
  .raw`# Written by factory from the task's examples: imports main.py and checks each example.
import ast as _factory_ast
import contextlib as _factory_contextlib
import io as _factory_io
import sys as _factory_sys
import main as _factory_main
globals().update({k: v for k, v in vars(_factory_main).items() if not k.startswith("__")})

_factory_results = []


def _factory_short(text):
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."


def _factory_error(error):
    return "error " + _factory_short(f"{type(error).__name__}: {error}")


def _factory_example(shown, check):
    try:
        problem = check()
    except Exception as error:
        problem = (None, _factory_error(error))
    _factory_results.append((shown, problem))


def _factory_equal(actual, expected):
    try:
        got = actual()
    except Exception as error:
        try:
            return (_factory_short(repr(expected())), _factory_error(error))
        except Exception:
            return (None, _factory_error(error))
    want = expected()
    return None if got == want else (_factory_short(repr(want)), _factory_short(repr(got)))


def _factory_true(condition, negated):
    try:
        got = condition()
    except Exception as error:
        return (str(not negated), _factory_error(error))
    return None if bool(got) != negated else (str(not negated), _factory_short(repr(got)))


def _factory_run(source):
    buffer = _factory_io.StringIO()
    with _factory_contextlib.redirect_stdout(buffer):
        try:
            code = compile(source, "<example>", "eval")
        except SyntaxError:
            exec(compile(source, "<example>", "exec"), globals())
            return buffer.getvalue(), None
        value = eval(code, globals())
    return buffer.getvalue(), value


def _factory_lines(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def _factory_shows(source, output):
    try:
        printed, value = _factory_run(source)
    except Exception as error:
        return (_factory_short(output), _factory_error(error))
    shown = printed + ("" if value is None else repr(value) + "\n")
    if _factory_lines(shown) == _factory_lines(output):
        return None
    if value is not None:
        try:
            if _factory_ast.literal_eval(output) == value:
                return None
        except Exception:
            pass
    return (_factory_short(output), _factory_short(_factory_lines(shown) or "nothing"))


def _factory_raises(source, name):
    try:
        _factory_run(source)
    except Exception as error:
        names = [cls.__name__ for cls in type(error).__mro__]
        if name in names:
            return None
        return ("raises " + name, "raised " + _factory_short(f"{type(error).__name__}: {error}"))
    return ("raises " + name, "no exception")
`;

const FINALE = String.raw`
_factory_failed = [(shown, problem) for shown, problem in _factory_results if problem is not None]
if _factory_failed:
    _factory_index = next(i for i, (shown, problem) in enumerate(_factory_results) if problem is not None)
    _factory_shown, (_factory_want, _factory_got) = _factory_failed[0]
    print(f"example {_factory_index + 1} of {len(_factory_results)} failed: {_factory_short(_factory_shown)}",
          file=_factory_sys.stderr)
    if _factory_want is not None:
        print(f"  expected: {_factory_want}", file=_factory_sys.stderr)
    print(f"  got:      {_factory_got}", file=_factory_sys.stderr)
    print(f"{len(_factory_failed)} of {len(_factory_results)} examples failed", file=_factory_sys.stderr)
    _factory_sys.exit(1)
print(f"all {len(_factory_results)} examples passed")
`;

/** A Python string literal holding `text`. */
function literal(text: string): string {
  return JSON.stringify(text);
}

function lambda(expression: string): string {
  return `lambda: (${expression}\n)`;
}

/** One example's lines in the test program. */
function exampleCode(example: Example): string {
  switch (example.kind) {
    case "setup":
      return /^(?:import|from)\s/.test(example.source)
        ? `try:\n    ${example.source}\nexcept ImportError:\n    pass`
        : example.source;
    case "equal":
      return `_factory_example(${literal(example.actual)}, lambda: _factory_equal(${
        lambda(example.actual)
      }, ${lambda(example.expected)}))`;
    case "true":
      return `_factory_example(${literal(example.condition)}, lambda: _factory_true(${
        lambda(example.condition)
      }, ${example.negated ? "True" : "False"}))`;
    case "shows":
      return `_factory_example(${literal(example.source)}, lambda: _factory_shows(${
        literal(example.source)
      }, ${literal(example.output)}))`;
    case "raises":
      return `_factory_example(${literal(example.source)}, lambda: _factory_raises(${
        literal(example.source)
      }, ${literal(example.error)}))`;
    default: {
      const never: never = example;
      return never;
    }
  }
}

/** The test program for `examples`: exit 0 when every example holds, else 1 with the first failure on stderr. */
export function pythonTestProgram(examples: readonly Example[]): string {
  return [PRELUDE, ...examples.map(exampleCode), FINALE].join("\n");
}
