; Inno Setup script for Lantern (Windows 10/11, x64).
; Compile after packaging\windows\build_windows.ps1 has produced build\package\dist\lantern:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\lantern.iss
; Output: dist\lantern-<version>-windows-x64-setup.exe
; Upgrades: installing a newer version over an older one replaces the program
; files only; the vault in %LOCALAPPDATA%\Lantern is never touched (uninstall keeps it too).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SrcDir "..\..\build\package\dist\lantern"

[Setup]
AppId={{6C1B2E8A-3F4D-4C55-9A57-1D2E0B7C4A11}
AppName=Lantern
AppVersion={#AppVersion}
AppPublisher=Lantern volunteers
AppComments=Offline clinical assistant for rural clinics
DefaultDirName={autopf}\Lantern
DefaultGroupName=Lantern
DisableProgramGroupPage=yes
; Per-user install without admin rights is offered; admins can install for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=lantern-{#AppVersion}-windows-x64-setup
SetupIconFile=lantern.ico
UninstallDisplayIcon={app}\lantern-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller folder: both executables, Python, Qt, resources, the
; llama.cpp baseline and avx2 builds and the default model.
Source: "{#SrcDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\docs\INSTALL.md"; DestDir: "{app}"; Flags: ignoreversion skipifsourcedoesntexist

[InstallDelete]
; Old program files from a previous version (never the user's data).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\Lantern"; Filename: "{app}\lantern-gui.exe"; WorkingDir: "{app}"
Name: "{group}\Lantern self-test"; Filename: "{app}\lantern.exe"; Parameters: "--self-test"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,Lantern}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Lantern"; Filename: "{app}\lantern-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\lantern-gui.exe"; Description: "{cm:LaunchProgram,Lantern}"; Flags: nowait postinstall skipifsilent
