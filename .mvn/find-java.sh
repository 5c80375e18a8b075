# Sourced by ./mvnw and ./mantis: picks a JDK whose feature version is at least 21.
# Order: $JAVA_HOME, the java on PATH, then the usual install folders (newest first).
# Sets MANTIS_JAVA_HOME, MANTIS_JAVA and MANTIS_JAVA_FEATURE (its feature version).

_mantis_java_feature() {
  # Prints the feature version (17, 21, 25, ...) of the java binary in $1, or 0.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

mantis_find_java() {
  _mantis_pick || return 1
  MANTIS_JAVA_FEATURE="$(_mantis_java_feature "$MANTIS_JAVA")"
}

_mantis_pick() {
  MANTIS_JAVA=""
  MANTIS_JAVA_HOME=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    if [ "$(_mantis_java_feature "$JAVA_HOME/bin/java")" -ge 21 ]; then
      MANTIS_JAVA_HOME="$JAVA_HOME"; MANTIS_JAVA="$JAVA_HOME/bin/java"; return 0
    fi
    echo "note: JAVA_HOME=$JAVA_HOME is older than Java 21; looking for a newer JDK" >&2
  fi
  if command -v java >/dev/null 2>&1 && [ "$(_mantis_java_feature java)" -ge 21 ]; then
    MANTIS_JAVA="$(command -v java)"
    # javac beside it makes it a JDK; Maven wants JAVA_HOME for that.
    _real="$(readlink -f "$MANTIS_JAVA" 2>/dev/null || echo "$MANTIS_JAVA")"
    MANTIS_JAVA_HOME="$(dirname "$(dirname "$_real")")"
    return 0
  fi
  _best=""; _best_v=0
  for _home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
               /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$_home/bin/java" ] && [ -x "$_home/bin/javac" ] || continue
    _v="$(_mantis_java_feature "$_home/bin/java")"
    if [ "$_v" -ge 21 ] && [ "$_v" -gt "$_best_v" ]; then _best="$_home"; _best_v="$_v"; fi
  done
  if [ -n "$_best" ]; then
    MANTIS_JAVA_HOME="$_best"; MANTIS_JAVA="$_best/bin/java"; return 0
  fi
  echo "error: Mantis needs a JDK 21 or newer; none found (set JAVA_HOME to one)" >&2
  return 1
}
