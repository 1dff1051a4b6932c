# Build Lantern for Windows (x64): portable llama.cpp (baseline, avx, avx2), PyInstaller
# folder, Inno Setup installer. Run from the repository root in a
# "x64 Native Tools Command Prompt for VS 2022" PowerShell:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Needs: Python 3.11 (python.org), Visual Studio 2022 Build Tools (C++ and CMake), Inno Setup 6.
# Internet is needed only here, at build time (PyPI); the installer never downloads anything.
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root
$Version = (py -3.11 -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
$LlamaVersion = "0.3.36"

# 1. Build environment. CMAKE_ARGS keeps pip's own llama.cpp build portable too
#    (its DLLs are not shipped, but nothing should be built with -march=native).
if (-not (Test-Path .venv-win)) { py -3.11 -m venv .venv-win }
$Py = "$Root\.venv-win\Scripts\python.exe"
$env:CMAKE_ARGS = "-DGGML_NATIVE=OFF"
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q -e ".[package]" pillow

# 2. llama.cpp, two CPU variants, from the sources vendored by llama-cpp-python.
$Src = "$Root\build\llama-src"
New-Item -ItemType Directory -Force $Src | Out-Null
if (-not (Test-Path "$Src\llama_cpp_python-$LlamaVersion")) {
  & $Py -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$LlamaVersion" -d $Src
  tar -xzf "$Src\llama_cpp_python-$LlamaVersion.tar.gz" -C $Src
}
$Llama = "$Src\llama_cpp_python-$LlamaVersion\vendor\llama.cpp"
$Common = @("-DBUILD_SHARED_LIBS=ON", "-DGGML_NATIVE=OFF", "-DGGML_OPENMP=OFF",
            "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=OFF",
            "-DLLAMA_BUILD_TOOLS=OFF", "-DLLAMA_BUILD_APP=OFF", "-DLLAMA_BUILD_COMMON=OFF",
            "-DLLAMA_OPENSSL=OFF", "-DLLAMA_CURL=OFF")
$Variants = @{
  "baseline" = @("-DGGML_SSE42=OFF", "-DGGML_AVX=OFF", "-DGGML_AVX2=OFF", "-DGGML_BMI2=OFF", "-DGGML_AVX512=OFF");
  "avx"      = @("-DGGML_SSE42=ON", "-DGGML_AVX=ON", "-DGGML_AVX2=OFF", "-DGGML_BMI2=OFF", "-DGGML_AVX512=OFF");
  "avx2"     = @("-DGGML_SSE42=ON", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_BMI2=ON", "-DGGML_AVX512=OFF")
}
foreach ($v in $Variants.Keys) {
  $B = "$Root\build\llama-build-$v"
  cmake -S $Llama -B $B -A x64 @Common @($Variants[$v])
  cmake --build $B --config Release -j 2
  $Out = "$Root\build\llama-variants\$v"
  New-Item -ItemType Directory -Force $Out | Out-Null
  Copy-Item "$B\bin\Release\*.dll" $Out -Force
  if (-not (Test-Path "$Out\llama.dll")) { throw "llama.dll missing for $v" }
}

# 3. Icon and PyInstaller folder (build\package\dist\lantern, with lantern.exe and lantern-gui.exe).
& $Py -c "from PIL import Image; Image.open('packaging/linux/lantern-256.png').save('packaging/windows/lantern.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"
$env:LANTERN_ICON = "$Root\packaging\windows\lantern.ico"
$env:LANTERN_LLAMA_VARIANTS_BUILD = "$Root\build\llama-variants"
& $Py -m PyInstaller --noconfirm --distpath build\package\dist --workpath build\package\pyi packaging\lantern.spec

# 4. Check the frozen app before making the installer.
& build\package\dist\lantern\lantern.exe --version
& build\package\dist\lantern\lantern.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test failed" }

# 5. Installer.
$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
& $Iscc "/DAppVersion=$Version" packaging\windows\lantern.iss
Get-Item "dist\lantern-$Version-windows-x64-setup.exe" | Select-Object Name, Length
