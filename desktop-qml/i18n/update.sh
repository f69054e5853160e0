#!/usr/bin/env bash
# Refreshes i18n/agentgate_zh_CN.ts from every qsTr()/tr() in the desktop app's QML and C++
# sources (new strings arrive untranslated; strings no longer used are dropped). Then translate
# the new <message>s in the .ts (Qt Linguist, or by hand) and rebuild: the .qm is compiled in.
#
# lupdate's fast parser reads `namespace agentgate::desktop {` as no namespace, so the contexts
# of the C++ classes are qualified afterwards to match what tr() uses at run time
# (metaObject()->className()). (CMake's qt_add_lupdate parses with clang instead and takes over
# fifteen minutes on the gRPC headers, so it is not used.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ts=i18n/agentgate_zh_CN.ts
classes=(Backend PetController PetChat AppSettings)
# Unqualified while lupdate runs, so it matches the existing translations to the strings it finds.
for cls in "${classes[@]}"; do
  sed -i "s|<name>agentgate::desktop::$cls</name>|<name>$cls</name>|" "$ts"
done
mapfile -t qml < <(find qml -name '*.qml' | sort)
/usr/lib/qt6/bin/lupdate -silent -no-obsolete -locations none "${qml[@]}" backend/*.h backend/*.cc \
  app/*.cc -ts "$ts" 2>&1 | grep -v 'Qualifying with unknown namespace' || true
for cls in "${classes[@]}"; do
  sed -i "s|<name>$cls</name>|<name>agentgate::desktop::$cls</name>|" "$ts"
done
total=$(grep -c '<message>' "$ts" || true)
open=$(grep -c 'type="unfinished"' "$ts" || true)
echo "$ts: $total strings, $open to translate"
