#!/usr/bin/env bash
# DEMONSTRATION ONLY: re-signs the sample portfolio's decisions with the demo
# keys in this folder (run it after changing a signed sample item). Never use
# these keys for a real learner: they are published.
# Usage, from the repository root: bash sample-portfolio/DEMO-ONLY-keys/sign-sample.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
p="cargo run --quiet --"
dir=sample-portfolio
keys=$dir/DEMO-ONLY-keys
rm -rf "$dir/assessment"
assess() { # item date feedback
  $p assess "$dir" "$1" --decision accepted --by j.patel@northgate.example \
    --key "$keys/j-patel-DEMO-ONLY" --date "$2" --feedback "$3" -q
}
assess 01-handover-procedure-discussion 2026-02-20 "A clear account of the procedure and of where your authority ends. Good use of a real example."
assess 02-questions-reminders-and-responsibility 2026-02-20 "Answers are specific to your workplace. 1.3 fully covered: why, when and how."
assess 05-observation-morning-huddle 2026-03-03 "You led the agreement on the two cases you could not finish, and checked capacity first."
assess 08-observation-late-shift-refund 2026-03-14 "Textbook handover: the customer knew who, why and when, and Sam repeated back the deadline."
assess 10-witness-refund-follow-up 2026-03-20 "The witness describes the check and the further action precisely."
assess 13-observation-team-meeting-feedback 2026-04-21 "Feedback was specific, based on evidence, and you secured agreement to a change."
# The IQA samples two of the assessor's decisions and confirms them.
for item in 05-observation-morning-huddle 08-observation-late-shift-refund; do
  $p assess "$dir" "$item" --role iqa --decision confirmed --by r.obi@northgate.example \
    --key "$keys/r-obi-DEMO-ONLY" --date 2026-04-28 --feedback "Sampled: the decision is sound and the evidence sufficient." -q
done
