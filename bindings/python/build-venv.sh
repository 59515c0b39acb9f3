# Sourced by bindings/python/run_tests.sh and scripts/test-all.sh:
# `python_build_venv PYTHON TARGET_DIR` makes (once) the venv the wheels are
# built with and prints its path. The tools are pinned (maturin 1.16 builds
# with Rust 1.95; zig 0.17 from the `ziglang` package is the C compiler and
# linker that lets maturin target manylinux_2_17 from a newer glibc); a
# venv with other versions is rebuilt.
python_build_venv() {
    local base_python=$1 target=$2
    local venv="$target/py-build-venv"
    local pins="maturin==1.16.0 ziglang==0.17.0 auditwheel==6.8.2"
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ]; then
        rm -rf "$venv"
        "$base_python" -m venv "$venv" >&2
        # shellcheck disable=SC2086
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $pins >&2
        echo "$pins" >"$venv/.pins"
    fi
    echo "$venv"
}
