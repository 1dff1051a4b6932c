"""``lantern models list|import|verify|use|remove``, ``lantern generate``, ``lantern bench``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lantern.domain.errors import ValidationError
from lantern.llm.protocol import GenerationResult, TokenEvent
from lantern.llm.resources import MIB
from lantern.services.models import ModelService


def register(subparsers: argparse._SubParsersAction) -> None:
    models = subparsers.add_parser("models", help="list, import, verify, choose or remove models")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="installed models (and, with --all, the known catalogue)")
    p.add_argument("--all", action="store_true", help="also list known models not installed")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("import", help="copy a GGUF model from a file or folder (USB stick)")
    p.add_argument("path", help="a .gguf file, or a folder holding exactly one")
    p.add_argument("--allow-unknown", action="store_true",
                   help="accept a file whose sha256 is not in the manifest (you trust its source)")
    p.add_argument("--skip-ram-check", action="store_true",
                   help="import even if this laptop lacks the RAM to run it now")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("verify", help="re-check a model's sha256 and header")
    p.add_argument("name", nargs="?", help="file name or id (default: the active model)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("use", help="choose the active model (and optionally its context/threads)")
    p.add_argument("name", help="file name or id")
    p.add_argument("--n-ctx", type=int, metavar="TOKENS",
                   help="context window to load models with (default: the manifest's)")
    p.add_argument("--threads", type=int, metavar="N",
                   help="CPU threads for the model (default: physical cores, at most 8)")
    p.set_defaults(func=cmd_use)

    p = sub.add_parser("remove", help="delete an installed model")
    p.add_argument("name", help="file name or id")
    p.set_defaults(func=cmd_remove)

    p = subparsers.add_parser("generate", help="stream a completion of the prompt read from stdin")
    p.add_argument("--max-tokens", type=int, default=128)
    p.add_argument("--stop", action="append", default=[], help="stop string (repeatable)")
    p.add_argument("--chat", action="store_true",
                   help="send the text as a chat message (instruction-tuned models)")
    p.add_argument("--json-schema", metavar="FILE", help="constrain output to this JSON schema")
    p.add_argument("--stats", action="store_true", help="print timing figures to stderr")
    p.set_defaults(func=cmd_generate)

    p = subparsers.add_parser("bench", help="check this laptop: model speed, RAM, CPU features")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--quick", action="store_true", help="one short round (~300-token prompt, 48 tokens) instead of two full ones")
    p.set_defaults(func=cmd_bench)


def _progress(fraction: float | None, message: str) -> None:
    if not sys.stderr.isatty():
        return
    pct = f"{fraction * 100:5.1f}% " if fraction is not None else ""
    sys.stderr.write(f"\r{pct}{message[:70]:<70}")
    sys.stderr.flush()


def _done_progress() -> None:
    if not sys.stderr.isatty():
        return
    sys.stderr.write("\r" + " " * 78 + "\r")
    sys.stderr.flush()


def cmd_list(args: argparse.Namespace) -> int:
    service = ModelService()
    installed = service.list_models()
    active = service.active()
    rows = [{
        "file": m.file_name, "name": m.display_name, "known": m.known, "sha256": m.sha256,
        "size_mb": m.size_bytes // MIB, "ram_mb": m.ram_bytes // MIB,
        "licence": m.spec.licence if m.spec else "unknown",
        "active": active is not None and m.file_name == active.file_name,
    } for m in installed]
    catalogue = []
    if args.all:
        have = {m.sha256 for m in installed}
        catalogue = [{"id": s.id, "name": s.name, "file": s.file_name, "sha256": s.sha256,
                      "size_bytes": s.size_bytes, "ram_mb": s.ram_mb, "licence": s.licence,
                      "recommended_use": s.recommended_use}
                     for s in service.catalogue() if s.sha256 not in have]
    if args.json:
        print(json.dumps({"installed": rows, "catalogue": catalogue}, indent=2))
        return 0
    if not rows:
        print("No models installed yet; the built-in model is prepared on first use.")
    for r in rows:
        mark = "*" if r["active"] else " "
        print(f"{mark} {r['file']:<40} {r['size_mb']:>6} MB  needs ~{r['ram_mb']} MB RAM  "
              f"{r['name']} [{r['licence']}]")
    for c in catalogue:
        sha = "sha256 known" if c["sha256"] else "sha256 not published"
        print(f"  (not installed) {c['file']:<40} needs ~{c['ram_mb']} MB RAM  {c['name']} "
              f"[{c['licence']}; {sha}]")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    service = ModelService()
    try:
        model = service.import_model(Path(args.path), allow_unknown=args.allow_unknown,
                                     progress=_progress, check_ram=not args.skip_ram_check)
    finally:
        _done_progress()
    kind = "known model" if model.known else "UNKNOWN model (imported at your request)"
    print(f"Imported {model.file_name}: {model.display_name}, {kind}, sha256 {model.sha256}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    service = ModelService()
    name = args.name
    if not name:
        active = service.active()
        name = active.file_name if active is not None else None
    if name is None:
        raise ValidationError("No model is installed.")
    try:
        model = service.verify(name, progress=_progress)
    finally:
        _done_progress()
    print(f"OK {model.file_name} sha256 {model.sha256}")
    return 0


def cmd_use(args: argparse.Namespace) -> int:
    if args.n_ctx is not None and not 256 <= args.n_ctx <= 131072:
        raise ValidationError("--n-ctx must be between 256 and 131072.")
    if args.threads is not None and not 1 <= args.threads <= 64:
        raise ValidationError("--threads must be between 1 and 64.")
    service = ModelService()
    model = service.set_active(args.name)
    if args.n_ctx is not None:
        service.store.update_settings(n_ctx=args.n_ctx)
    if args.threads is not None:
        service.store.update_settings(n_threads=args.threads)
    print(f"Active model: {model.file_name} ({model.display_name}); context "
          f"{service.n_ctx_for(model)} tokens, {service.threads()} threads")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    ModelService().remove(args.name)
    print(f"Removed {args.name}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    prompt = sys.stdin.read()
    if not prompt.strip():
        raise ValidationError("Give the prompt on standard input.")
    schema = None
    if args.json_schema:
        try:
            schema = json.loads(Path(args.json_schema).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ValidationError("The JSON schema file cannot be read.") from None
    service = ModelService()
    try:
        service.ensure_loaded(progress=_progress)
        _done_progress()
        gen = service.generate(None if args.chat else prompt,
                               messages=[{"role": "user", "content": prompt}] if args.chat
                               else None,
                               max_tokens=args.max_tokens, stop=args.stop or None,
                               json_schema=schema)
        result = None
        for event in gen:
            if isinstance(event, TokenEvent):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, GenerationResult):
                result = event
        sys.stdout.write("\n")
        if args.stats and result is not None:
            t = result.timings
            sys.stderr.write(
                f"{result.tokens} tokens, stop: {result.stop_reason}, "
                f"prompt {t.prompt_tokens} tokens ({t.cached_tokens} cached), "
                f"first token {t.ttft_s:.2f} s, {t.tokens_per_s:.1f} tokens/s\n")
    finally:
        service.close()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    service = ModelService()
    try:
        result = service.laptop_check(progress=None if args.json else _progress,
                                      quick=args.quick)
    finally:
        if not args.json:
            _done_progress()
        service.close()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"Model: {result['model']['name']} ({result['n_threads']} threads)")
    print(f"  load {result['load_s']:.2f} s; prompt {result['prompt_tokens_per_s']:.0f} tokens/s; "
          f"generation {result['tokens_per_s']:.1f} tokens/s "
          f"(bare llama.cpp {result['raw_tokens_per_s']:.1f}, ratio {result['lantern_vs_raw']:.2f})")
    print(f"  first token {result['ttft_s']:.2f} s; with cached prefix "
          f"{result['ttft_cached_s']:.2f} s (ratio {result['ttft_cached_ratio']:.2f})")
    feats = result["cpu"]["features"]
    print(f"RAM {result['ram']['available_mb']} MB free of {result['ram']['total_mb']} MB; CPU "
          + ", ".join(f"{k.upper()} {'yes' if v else 'no' if v is False else '?'}"
                      for k, v in feats.items()))
    for m in result["models"]:
        est = m["estimated_tokens_per_s"]
        speed = f" ~{est} tokens/s (estimate)" if est is not None else ""
        print(f"  {m['name']:<28} needs ~{m['ram_mb']} MB: {m['verdict']}{speed}")
    return 0
