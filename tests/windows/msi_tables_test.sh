#!/bin/sh
# The Windows installer's tables, read with msiinfo (Debian's msitools): the
# service, its start type, delayed start and recovery, the enrolment custom
# action and the properties it takes, the purge, the drop folder's ACL; and a
# second build of the same inputs is the same bytes.
#   tests/windows/msi_tables_test.sh EXE MSI
set -eu
EXE="$1"
MSI="$2"
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
failures=0

# expect TABLE LINE: the table, exported, has exactly this line.
expect() {
  if ! msiinfo export "$MSI" "$1" | tr -d '\r' | grep -qxF "$2"; then
    echo "FAIL: $1 has no row: $2" >&2
    msiinfo export "$MSI" "$1" | tr -d '\r' | sed 's/^/  | /' >&2
    failures=$((failures + 1))
  fi
}
t="$(printf '\t')"

# The service: own process (16), automatic (2), errors reported (1), as
# LocalSystem, with the service's command line.
expect ServiceInstall "AgentService${t}TributaryAgent${t}Tributary agent${t}16${t}2${t}1${t}${t}${t}LocalSystem${t}${t}run --service${t}AgentExecutable${t}Imports the practice's workforce and activity files and syncs them to the ICS's Tributary server."
# Started at install (1), stopped at install and uninstall (2+32), removed at uninstall (128).
expect ServiceControl "AgentServiceControl${t}TributaryAgent${t}163${t}${t}1${t}AgentExecutable"
# Delayed automatic start (3) and recovery also on a failure status (4).
expect MsiServiceConfig "DelayedStart${t}TributaryAgent${t}1${t}3${t}1${t}AgentExecutable"
expect MsiServiceConfig "RecoverOnFailureStatus${t}TributaryAgent${t}1${t}4${t}1${t}AgentExecutable"
# Recovery: restart (1) after 10 s, 10 s and 60 s; the count reset after a day.
expect MsiServiceConfigFailureActions "RestartOnFailure${t}TributaryAgent${t}1${t}86400${t}${t}${t}1[~]1[~]1${t}10000[~]10000[~]60000${t}AgentExecutable"
# The properties reach enrolment: deferred, as SYSTEM (18+1024+2048), the
# installed executable, the properties on its command line.
expect CustomAction "Enrol${t}3090${t}AgentExe${t}enrol --server \"[SERVER]\" --token \"[TOKEN]\" --ca-sha256 \"[CA_SHA256]\"${t}"
expect Property "SecureCustomProperties${t}WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SERVER;TOKEN;CA_SHA256;PURGE"
expect Property "MsiHiddenProperties${t}TOKEN"
# In order: the service installed, configured, the practice enrolled, then started.
expect InstallExecuteSequence "InstallServices${t}${t}5800"
expect InstallExecuteSequence "MsiConfigureServices${t}VersionNT >= 600${t}5850"
expect InstallExecuteSequence "Enrol${t}SERVER AND TOKEN AND CA_SHA256 AND NOT REMOVE AND NOT WIX_UPGRADE_DETECTED${t}5875"
expect InstallExecuteSequence "StartServices${t}VersionNT${t}5900"
# An upgrade removes the old version first; PURGE=1 at uninstall only.
expect InstallExecuteSequence "RemoveExistingProducts${t}${t}1401"
expect InstallExecuteSequence "Purge${t}REMOVE=\"ALL\" AND PURGE=\"1\" AND NOT UPGRADINGPRODUCTCODE${t}3510"
expect CustomAction "Purge${t}3682${t}System64Folder${t}\"[System64Folder]cmd.exe\" /c rmdir /s /q \"[DATAROOT]\"${t}"
# The configuration and the folders: never overwritten, kept (16+128+256).
expect Component "AgentConfiguration${t}{8D4E1B62-03C7-4F9E-A1D2-5C6B7E8F9A03}${t}DATAROOT${t}400${t}${t}AgentToml"
expect Component "AgentData${t}{C4B6E8F0-3D5A-4B7C-9E2F-4A6B8D0F1C35}${t}AGENTDATA${t}400${t}${t}"
# The ICS's own import profiles: a folder, kept on uninstall.
expect Component "ProfilesFolder${t}{F7E9B1C3-6A8D-4E0F-C25B-7D9E1A3C4F68}${t}PROFILESFOLDER${t}400${t}${t}"
expect Component "DropFolder${t}{B3A5D7E9-2C4F-4A6B-8D1E-3F5A7C9E0B24}${t}DROPFOLDER${t}400${t}${t}"
expect Component "DropProcessed${t}{D5C7F9A1-4E6B-4C8D-A03F-5B7C9E1A2D46}${t}DROPPROCESSED${t}400${t}${t}"
expect Component "DropRejected${t}{E6D8A0B2-5F7C-4D9E-B14A-6C8D0F2B3E57}${t}DROPREJECTED${t}400${t}${t}"
# Owned by Administrators; Tributary\ readable by users; the data folder,
# processed\ and rejected\ SYSTEM's and Administrators' alone; users may add
# files to drop\ and have only their own.
expect MsiLockPermissionsEx "DataRootAcl${t}DATAROOT${t}CreateFolder${t}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)${t}"
expect MsiLockPermissionsEx "AgentDataAcl${t}AGENTDATA${t}CreateFolder${t}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${t}"
expect MsiLockPermissionsEx "DropFolderAcl${t}DROPFOLDER${t}CreateFolder${t}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;;0x100006;;;BU)(A;OICIIO;FA;;;CO)${t}"
expect MsiLockPermissionsEx "DropProcessedAcl${t}DROPPROCESSED${t}CreateFolder${t}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${t}"
expect MsiLockPermissionsEx "DropRejectedAcl${t}DROPREJECTED${t}CreateFolder${t}O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)${t}"

# Reproducible: built again from the same inputs, the same bytes.
again="$(mktemp -d)"
trap 'rm -rf "$again"' EXIT
version="$(msiinfo export "$MSI" Property | tr -d '\r' | sed -n "s/^ProductVersion${t}//p")"
"$HERE/scripts/windows-msi.sh" "$EXE" "$again/again.msi" "$version" >/dev/null
if ! cmp -s "$MSI" "$again/again.msi"; then
  echo "FAIL: a second build of the same inputs differs: $(sha256sum "$MSI" "$again/again.msi")" >&2
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "msi tables: every check passed; reproducible ($(sha256sum "$MSI" | cut -c1-16))"
