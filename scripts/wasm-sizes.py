#!/usr/bin/env python3
"""Where a wasm binary's bytes go, by crate group (issue 20).

    cargo install twiggy            # once; not needed by make test or make bench
    make release                    # or trunk build --release --offline
    python3 scripts/wasm-sizes.py target/wasm32-unknown-unknown/release/servicelens.wasm ...

Reads the release binaries cargo leaves in target/ (before wasm-bindgen
and wasm-opt, so their function names are still there) through
`twiggy top`, and prints each group's share of the code and data. The
shares, not the bytes, carry over to the shipped files: wasm-opt shrinks
every group by about the same factor. The descriptors wasm-bindgen strips
and the name section are left out.
"""
import collections
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "Cargo.lock"
CRATES = {l.split('"')[1].replace("-", "_") for l in LOCK.read_text().splitlines() if l.startswith("name = ")}
CRATES.add("__wbindgen_placeholder__")

GROUPS = [
    ("Leptos (tachys, reactive_graph)", {"tachys", "reactive_graph", "leptos", "leptos_dom", "either_of", "reactive_stores",
                                          "oco_ref", "any_spawner", "throw_error", "or_poisoned", "next_tuple", "guardian",
                                          "send_wrapper", "slotmap"}),
    ("serde, serde_json", {"serde", "serde_core", "serde_json", "serde_wasm_bindgen", "erased_serde"}),
    ("wasm-bindgen, js-sys, web-sys, indexed_db_futures", {"wasm_bindgen", "js_sys", "web_sys", "wasm_bindgen_futures",
                                                            "indexed_db_futures", "__wbindgen_placeholder__"}),
    ("XLSX (rust_xlsxwriter, zip, zopfli, zlib-rs)", {"rust_xlsxwriter", "zip", "zopfli", "zlib_rs", "rust_decimal",
                                                      "crc32fast", "simd_adler32"}),
    ("chart-js-rs", {"chart_js_rs"}),
    ("crypto and hashes", {"hpke", "curve25519_dalek", "x25519_dalek", "chacha20", "chacha20poly1305", "poly1305", "sha2",
                           "hkdf", "hmac", "pbkdf2", "md5", "md_5", "digest", "generic_array", "subtle"}),
]


def group(name: str) -> str:
    if name.startswith("data segment"):
        return "data (strings of both languages, panic texts, tables)"
    path = re.findall(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    crates = [p for p in path if p in CRATES]
    if not crates:
        return "std generics (sorting, collections, formatting)"
    first = crates[0]
    if first == "servicelens":
        rest = path[path.index("servicelens") + 1:]
        return "ours: web (screens, storage, UI)" if rest[:1] == ["web"] else "ours: domain and pure core"
    for label, members in GROUPS:
        if first in members:
            return label
    return "other crates (time, uuid, base64, deflate, qrcode, csv, collections)"


def main() -> None:
    for wasm in sys.argv[1:]:
        out = subprocess.run(["twiggy", "top", "-n", "10000000", "-f", "csv", wasm], check=True, capture_output=True, text=True).stdout
        sizes = collections.Counter()
        for row in csv.DictReader(io.StringIO(out)):
            n = row["Name"]
            if n.startswith('"function names"') or "custom section" in n or "wbindgen_describe" in n:
                continue
            sizes[group(n)] += int(row["ShallowSize"])
        total = sum(sizes.values())
        print(f"{Path(wasm).name}: {total / 1024:,.0f} KB of code and data before wasm-opt")
        for label, b in sizes.most_common():
            print(f"  {100 * b / total:4.0f}%  {label}")


if __name__ == "__main__":
    main()
