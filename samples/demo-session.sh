#!/bin/sh
# A planned and recorded session of the expert dialogue, for `make demo` (skipped when the store
# already has sessions). Usage: samples/demo-session.sh KURULTAI_BIN DB
set -e
K="$1"; DB="$2"
if [ -n "$("$K" session list --db "$DB")" ]; then exit 0; fi
sid=$("$K" session create --db "$DB" --title "Водно-энергетическое сотрудничество в Центральной Азии: новые подходы" \
      --starts "2025-12-04 15:00" --tz Asia/Almaty --format online --link https://meet.example.org/kurultai-demo \
      --organizer ИМЭП --moderator "Айгерим Сапарова")
"$K" session invite "$sid" ИСМИ КИСИ "Центр стратегических исследований при Президенте Республики Таджикистан" --db "$DB" >/dev/null
"$K" session invite "$sid" 1 2 --status accepted --db "$DB" >/dev/null
"$K" session record "$sid" --db "$DB" --speaker "Фаррух Юлдашев" --institution ИСМИ \
   --text "Совместное управление водными ресурсами и энергетическое сотрудничество остаются главными темами. Изменение климата становится угрозой для всего региона." >/dev/null
"$K" session record "$sid" --db "$DB" --speaker "Данияр Ахметов" --institution КИСИ \
   --text "Предлагаю рассмотреть транспортно-логистический потенциал в рамках ЦАРЭС и ШОС." >/dev/null
"$K" session record "$sid" --db "$DB" --outcome commitment --text "проводить подобные онлайн-дискуссии на регулярной основе" >/dev/null
"$K" session record "$sid" --db "$DB" --outcome recommendation --text "создать рабочую группу по водно-энергетическому балансу региона" >/dev/null
echo "demo session $sid planned and recorded; publish it from its page or with: $K session publish $sid --db $DB"
