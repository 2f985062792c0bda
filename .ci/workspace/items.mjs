// What the learner writes in the workspace's browser tests (check.mjs for
// `portfolio serve`, web-check.mjs for the static web build): the same five
// items and reflective account in both.

// Five items that together make Unit 214's evidence complete: every
// criterion shown by an item that counts, outcome 3's on two occasions
// (its "more than one occasion"), documents only supporting. The best a
// learner can reach alone: every criterion `claimed` (enough evidence,
// awaiting the assessor's decision; `met` needs the assessor's). The
// document comes before the discussion (alone it only supports, so it
// changes 2.1 from missing to insufficient). The
// reflective account covers a whole second handover (3.1-3.4): with five
// items one of them must show four of outcome 3's five criteria, which the
// check notes as `over-mapped`, a warning the learner may leave.
export const fiveItems = (photo) => [
  {
    title: "Observation: late-shift refund handover to Sam",
    date: "2026-03-14", method: "Observation", criteria: ["3.1", "3.2", "2.2", "2.3"], occasion: "late-shift-14-march",
    narrative: "My assessor watched me hand the refund case to Sam at the end of my shift. We had agreed at the morning briefing that cases waiting on finance pass to the late team [[2.2]], by a CRM note and a word face to face [[2.3]]. I told the customer that Sam would call her back the next morning and why [[3.1]]. I went through the SBAR sheet with Sam and he read the actions back to me [[3.2]].",
    handover: {
      "Why it was handed over": "Shift change: finance approval would come after my shift ended",
      "Who took it over": "Sam Jones", "Their role": "Billing adviser, late shift",
      "Situation": "Refund approved by finance, customer not yet told.",
      "Background": "Overcharged for two months after a meter reading error.",
      "Assessment": "Customer anxious; wants a date for the refund.",
      "Recommendation": "Call her before 10:00 with the refund date.",
      "How the information was passed on": "CRM note, face to face",
      "What the customer was told": "That Sam would call her before 10:00 tomorrow.",
      "Action": "Call the customer with the refund date", "Action owner": "Sam Jones", "Action due": "2026-03-15",
      "Reminder date": "2026-03-16", "Reminder: how": "CRM task",
    },
    checks: ["They told me back what they would do"],
    photo: photo, shot: "item-form",
  },
  {
    title: "Witness testimony: checking the refund handover",
    date: "2026-03-17", method: "Witness testimony", criteria: ["3.3", "3.5"], occasion: "refund-check-16-march",
    witness: { name: "Dana Reid", role: "Team leader" },
    narrative: "Amira's reminder came up on the 16th and she checked Sam's notes before anything else, then rang the customer to make sure the refund date had been given [[3.3]]. At our huddle the next morning she suggested that the late team confirm each finance case in the CRM before 10:00, and we now do [[3.5]].",
  },
  {
    title: "Reflective account: the meter escalation to the metering team",
    date: "2026-03-20", method: "Reflective account", criteria: ["1.3", "1.4", "3.1", "3.2", "3.3", "3.4"], occasion: "meter-escalation-18-march",
    narrative: "On 18 March a customer's meter kept sending estimated readings. Fixing it was beyond what I may do, so I told him I was passing it to Priya in the metering team and that she would call within two days [[3.1]]. I wrote the case up for Priya in our SBAR template and confirmed she had it [[3.2]]. I set a CRM reminder for the day after her deadline, because once a case is handed over I cannot see it in my own queue [[1.3]]; I stay responsible for keeping the customer informed until she confirms [[1.4]]. When the reminder came up I found no call logged [[3.3]], so I asked her team leader to book the call for the next morning and told the customer [[3.4]].",
  },
  {
    title: "Workplace document: the team's handover checklist",
    date: "2026-03-22", method: "Documentation", criteria: ["2.1", "2.3"],
    heldAt: "The team's shared drive, Handovers folder, checklist version 2",
    narrative: "The checklist our team uses at every shift change; I helped to write its second version.",
  },
  {
    title: "Professional discussion: our handover procedure",
    date: "2026-03-21", method: "Professional discussion", criteria: ["1.1", "1.2", "2.1", "3.4", "3.5"],
    narrative: "With my assessor I went through our handover procedure: who hands over to whom, the SBAR sheet and the CRM note [[1.1]]. We discussed why passing an action on serves the customer when my shift ends or the case needs a specialist [[1.2]], and which steps of our service process depend on colleagues passing information on [[2.1]]. I described the broadband fault on 19 March whose engineer visit had not been booked, and how I booked it and set a new deadline with the owner [[3.4]], and the feedback I gave at the team meeting that led to a shared handover inbox [[3.5]].",
  },
];

// The reflective account, in the learner's own words: until it is written
// the example text "Start a portfolio" wrote keeps the portfolio incomplete.
export const REFLECTION =
  "I work on the billing team at a utility company's contact centre. Many of our customers' problems cannot be solved in one call, " +
  "so handing cases over well is a large part of my job: to the late shift, to finance, to the metering team.\n\n" +
  "Our procedure asks for an SBAR note on the CRM case and a word with the person taking over. Working towards this unit taught me to set " +
  "a reminder for every action I hand over and to check it was done, because the customer still sees me as the person who promised.\n";
