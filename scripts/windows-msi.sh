#!/bin/sh
# Builds tributary-agent.msi from the Windows build's tributary-agent.exe with
# wixl (Debian's msitools), then adds what wixl has no element for, with
# msibuild:
#   - the service's delayed automatic start (MsiServiceConfig, type 3);
#   - its recovery: restart after 10 s, 10 s, then 60 s, the count reset after
#     a day, also when it stops with a failure status (MsiServiceConfig type 4,
#     MsiServiceConfigFailureActions), run by MsiConfigureServices;
#   - SERVER, TOKEN, CA_SHA256 and PURGE as secure properties, so msiexec
#     passes them to the installation's server side;
#   - PURGE=1 at uninstall: %ProgramData%\Tributary removed;
#   - the configuration file and the folders NeverOverwrite and Permanent;
#   - the folders' owner and ACLs (MsiLockPermissionsEx): %ProgramData%\Tributary
#     read-only for users; its agent\ (the data folder), drop\processed and
#     drop\rejected SYSTEM's and Administrators' alone; drop\ where users may
#     add files (not list or read others'), the creator of a file having it;
#   - the old version removed before the new is installed (an upgrade), and
#     enrolment between installing the service and starting it.
# The same inputs always make the same bytes: the product code comes from the
# version, the package code from the inputs, and no date is written.
#
#   scripts/windows-msi.sh EXE OUTPUT.msi [VERSION]
set -eu

EXE="$1"
OUT="$2"
VERSION="${3:-$(sed -n 's/^project(tributary VERSION \([0-9.]*\).*/\1/p' \
  "$(dirname "$0")/../CMakeLists.txt")}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WXS="$HERE/installers/windows/tributary-agent.wxs"
TOML="$HERE/installers/windows/agent.toml"

# A GUID from a SHA-256 (its first 128 bits, marked as a name-based UUID).
guid_of() {
  h="$(printf '%s' "$1" | sha256sum | cut -c1-32)"
  printf '%s-%s-5%s-a%s-%s\n' "$(echo "$h" | cut -c1-8)" "$(echo "$h" | cut -c9-12)" \
    "$(echo "$h" | cut -c14-16)" "$(echo "$h" | cut -c18-20)" "$(echo "$h" | cut -c21-32)" |
    tr a-f A-F  # Windows Installer's codes are upper case
}
PRODUCT_CODE="$(guid_of "tributary-agent product $VERSION")"
PACKAGE_CODE="$(guid_of "$(cat "$EXE" "$TOML" "$WXS" "$0" | sha256sum) $VERSION")"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp "$EXE" "$STAGE/tributary-agent.exe"
cp "$TOML" "$STAGE/agent.toml"
# The cabinet records the files' times and the summary the build's: all fixed
# (faketime for wixl and msibuild, which take the clock's).
EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"
touch -d "@$EPOCH" "$STAGE/tributary-agent.exe" "$STAGE/agent.toml"
FAKETIME="$(date -u -d "@$EPOCH" '+%Y-%m-%d %H:%M:%S')"
export TZ=UTC
wixl() { faketime -f "$FAKETIME" wixl "$@"; }
msibuild() { faketime -f "$FAKETIME" msibuild "$@"; }
# wixl takes the sources relative to the folder it runs in.
(cd "$STAGE" && wixl -a x64 -D Version="$VERSION" -D ProductCode="$PRODUCT_CODE" \
  -D PackageCode="$PACKAGE_CODE" -D AgentExe=tributary-agent.exe -D AgentToml=agent.toml \
  -o agent.msi "$WXS")

tab="$(printf '\t')"
cat > "$STAGE/MsiServiceConfig.idt" <<EOF
MsiServiceConfig${tab}Name${tab}Event${tab}ConfigType${tab}Argument${tab}Component_
s72${tab}s255${tab}i2${tab}i4${tab}S0${tab}s72
MsiServiceConfig${tab}MsiServiceConfig
DelayedStart${tab}TributaryAgent${tab}1${tab}3${tab}1${tab}AgentExecutable
RecoverOnFailureStatus${tab}TributaryAgent${tab}1${tab}4${tab}1${tab}AgentExecutable
EOF
cat > "$STAGE/MsiServiceConfigFailureActions.idt" <<EOF
MsiServiceConfigFailureActions${tab}Name${tab}Event${tab}ResetPeriod${tab}RebootMessage${tab}Command${tab}Actions${tab}DelayActions${tab}Component_
s72${tab}s255${tab}i2${tab}I4${tab}L255${tab}L255${tab}S0${tab}S0${tab}s72
MsiServiceConfigFailureActions${tab}MsiServiceConfigFailureActions
RestartOnFailure${tab}TributaryAgent${tab}1${tab}86400${tab}${tab}${tab}1[~]1[~]1${tab}10000[~]10000[~]60000${tab}AgentExecutable
EOF
# O:BA: owned by Administrators, whoever made the folder first; P: not
# inherited from ProgramData; SY, BA: full (FA), inherited (OICI). Tributary
# itself: BU (users) read and list (0x1200a9). The drop folder: BU may add a
# file (0x2) or folder (0x4), on the folder itself; CO (creator owner): full,
# on what they add (OICIIO). The data folder, processed\ and rejected\: no one
# else.
cat > "$STAGE/MsiLockPermissionsEx.idt" <<EOF
MsiLockPermissionsEx${tab}LockObject${tab}Table${tab}SDDLText${tab}Condition
s72${tab}s72${tab}s32${tab}s0${tab}S255
MsiLockPermissionsEx${tab}MsiLockPermissionsEx
DataRootAcl${tab}DATAROOT${tab}CreateFolder${tab}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)${tab}
AgentDataAcl${tab}AGENTDATA${tab}CreateFolder${tab}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${tab}
DropFolderAcl${tab}DROPFOLDER${tab}CreateFolder${tab}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;;0x100006;;;BU)(A;OICIIO;FA;;;CO)${tab}
DropProcessedAcl${tab}DROPPROCESSED${tab}CreateFolder${tab}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${tab}
DropRejectedAcl${tab}DROPREJECTED${tab}CreateFolder${tab}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${tab}
EOF
(cd "$STAGE" && msibuild agent.msi -i MsiServiceConfig.idt -i MsiServiceConfigFailureActions.idt \
  -i MsiLockPermissionsEx.idt)

msibuild "$STAGE/agent.msi" -q "UPDATE \`Property\` SET \`Value\` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SERVER;TOKEN;CA_SHA256;PURGE' WHERE \`Property\` = 'SecureCustomProperties'"
# 16 Permanent + 128 NeverOverwrite + 256 64-bit.
msibuild "$STAGE/agent.msi" -q "UPDATE \`Component\` SET \`Attributes\` = 400 WHERE \`Component\` <> 'AgentExecutable'"
# 34 (an executable run in a folder) + 64 (its status ignored) + 1024 + 512
# (a commit action: only once the uninstall can no longer be rolled back) +
# 2048 (as SYSTEM).
msibuild "$STAGE/agent.msi" -q "INSERT INTO \`Directory\` (\`Directory\`, \`Directory_Parent\`, \`DefaultDir\`) VALUES ('System64Folder', 'TARGETDIR', '.')"
msibuild "$STAGE/agent.msi" -q "INSERT INTO \`CustomAction\` (\`Action\`, \`Type\`, \`Source\`, \`Target\`) VALUES ('Purge', 3682, 'System64Folder', '\"[System64Folder]cmd.exe\" /c rmdir /s /q \"[DATAROOT]\"')"
for row in \
  "'MsiConfigureServices', 'VersionNT >= 600', 5850" \
  "'Purge', 'REMOVE=\"ALL\" AND PURGE=\"1\" AND NOT UPGRADINGPRODUCTCODE', 3510"; do
  msibuild "$STAGE/agent.msi" -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Condition\`, \`Sequence\`) VALUES ($row)"
done
msibuild "$STAGE/agent.msi" -q "UPDATE \`InstallExecuteSequence\` SET \`Sequence\` = 5875, \`Condition\` = 'SERVER AND TOKEN AND CA_SHA256 AND NOT REMOVE AND NOT WIX_UPGRADE_DETECTED' WHERE \`Action\` = 'Enrol'"
msibuild "$STAGE/agent.msi" -q "UPDATE \`InstallExecuteSequence\` SET \`Sequence\` = 1401 WHERE \`Action\` = 'RemoveExistingProducts'"

# The package code: wixl makes a random one.
msibuild "$STAGE/agent.msi" -s "Tributary agent $VERSION" Tributary "x64;1033" "{$PACKAGE_CODE}"

mv "$STAGE/agent.msi" "$OUT"
echo "$OUT"
