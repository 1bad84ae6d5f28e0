/**
 * The demo's sample files: written for the demo (no third-party text, so no licence to carry), small,
 * and real of their kind — a Python module with tests, CSV tables, Markdown documents, a WAV tone.
 * The tables' readings are generated (said so in their descriptions), deterministically, so a re-seed
 * makes the same bytes (and the same CIDs).
 */

export const MOVING_STATS_PY = `"""Streaming statistics for sensor readings.

Keeps a running mean, variance and a fixed-size moving average over a stream of
numbers without storing the whole stream (Welford's algorithm for the variance).
"""

from collections import deque
from math import sqrt
import unittest


class RunningStats:
    """Mean and variance of every value seen so far, updated one value at a time."""

    def __init__(self):
        self.count = 0
        self._mean = 0.0
        self._m2 = 0.0

    def push(self, value):
        """Add one reading; NaN readings are ignored."""
        if value != value:  # NaN is the only value not equal to itself
            return
        self.count += 1
        delta = value - self._mean
        self._mean += delta / self.count
        self._m2 += delta * (value - self._mean)

    @property
    def mean(self):
        return self._mean if self.count else None

    @property
    def variance(self):
        """Sample variance (n - 1); None with fewer than two readings."""
        return self._m2 / (self.count - 1) if self.count > 1 else None

    @property
    def stdev(self):
        v = self.variance
        return sqrt(v) if v is not None else None


class MovingAverage:
    """Average of the last \`window\` readings."""

    def __init__(self, window):
        if window < 1:
            raise ValueError("window must be at least 1")
        self._values = deque(maxlen=window)
        self._total = 0.0

    def push(self, value):
        if len(self._values) == self._values.maxlen:
            self._total -= self._values[0]
        self._values.append(value)
        self._total += value
        return self._total / len(self._values)


def smooth(values, window=3):
    """The moving average of \`values\`, one output per input."""
    average = MovingAverage(window)
    return [average.push(v) for v in values]


class StatsTest(unittest.TestCase):
    def test_mean_and_variance(self):
        stats = RunningStats()
        for v in [2, 4, 4, 4, 5, 5, 7, 9]:
            stats.push(v)
        self.assertEqual(stats.mean, 5)
        self.assertAlmostEqual(stats.variance, 32 / 7)

    def test_nan_is_ignored(self):
        stats = RunningStats()
        stats.push(float("nan"))
        self.assertIsNone(stats.mean)

    def test_smooth(self):
        self.assertEqual(smooth([3, 6, 9, 12], window=2), [3, 4.5, 7.5, 10.5])

    def test_window_must_be_positive(self):
        with self.assertRaises(ValueError):
            MovingAverage(0)


if __name__ == "__main__":
    unittest.main()
`;

/** A deterministic pseudo-random sequence in [0, 1) (a linear congruential generator). */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Hourly air quality at three stations over four days, with a daily traffic cycle. */
export function airQualityCsv(): string {
  const next = sequence(17);
  const rows = ["station_id,observed_at,pm25_ugm3,pm10_ugm3,no2_ugm3,o3_ugm3,temperature_c"];
  const start = Date.UTC(2025, 2, 3);
  for (const [station, base] of [["AQ-NORTH", 9], ["AQ-CENTRE", 16], ["AQ-HARBOUR", 12]] as const) {
    for (let h = 0; h < 96; h++) {
      const rush = Math.max(0, Math.sin(((h % 24) - 6) * (Math.PI / 12)));
      const pm25 = base + 8 * rush + 4 * next();
      const no2 = base * 1.6 + 22 * rush + 6 * next();
      const temp = 8 + 6 * Math.sin(((h % 24) - 9) * (Math.PI / 12)) + next();
      rows.push(
        [station, new Date(start + h * 3_600_000).toISOString().replace(".000", ""), pm25.toFixed(1), (pm25 * 1.7 + 3 * next()).toFixed(1), no2.toFixed(1), (60 - no2 / 2 + 5 * next()).toFixed(1), temp.toFixed(1)].join(","),
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

/** Daily bicycle counts at two counters, without units or a description of where they are. */
export function bikeCountsCsv(): string {
  const next = sequence(5);
  const rows = ["day,c1,c2"];
  for (let d = 0; d < 28; d++) rows.push(`2025-04-${String(d + 1).padStart(2, "0")},${Math.round(300 + 200 * next())},${d % 6 === 5 ? "" : Math.round(150 + 100 * next())}`);
  return `${rows.join("\n")}\n`;
}

export const REVIEW_GUIDE_MD = `# Reviewing contributions: a short guide

This guide is for verifiers. It says what to look at before you vote, and how to
write a reason the contributor can act on.

## Before you vote

1. **Open the preview.** Code is highlighted, tables show their first rows and a
   summary per column, documents are rendered. You rarely need the download.
2. **Read the description.** Does the file do what its title and description say?
3. **Check the licence.** Work without one cannot be reused; say so in your reason.

## Scoring

| score | meaning |
| --- | --- |
| 90–100 | ready to use as it is |
| 70–89 | useful, with small gaps |
| 40–69 | needs work before anyone can rely on it |
| 0–39 | not what it claims, or unusable |

Votes are sealed until the decision: nobody sees yours, and you see nobody's.
Vote what you see, not what you expect others to vote.

## Writing the reason

- Name the problem and where it is ("column \`pm10\` has no unit").
- Suggest the fix when you know it.
- Keep it to two or three sentences.

## When to skip

Skip an assignment when you cannot judge it — a language you do not read, a
format you cannot open. It goes back to the pool for someone else.
`;

export const RELEASE_CHECKLIST_MD = `# Release checklist

## Before

- tests
- changelog

## After

- announce
`;

/** One second of a 440 Hz sine at 8 kHz, 16-bit mono PCM: a WAV file (RIFF header, then the samples). */
export function toneWav(): Buffer {
  const rate = 8000;
  const samples = rate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const STATIONS_CSV = `station,latitude,longitude,elevation_m
north-gate,52.5321,13.3849,41
river-park,52.5105,13.4201,35
old-town,52.5169,13.4019,38
airfield,52.4731,13.4039,48
hillside,52.4869,13.2571,69
`;

const MEETUP_NOTES_MD = `# Community meetup notes

Twelve people came; we talked about reviewing datasets and about the appeal process.

## Attendees

- Ada — ada@example.org
- Grace — grace@example.org
- Linus — linus@example.org

## Next time

Bring a dataset you would like reviewed.
`;

/** A demo account, by its index in DEMO_ACCOUNTS (db/demo-accounts.ts; 0 is the admin, 5 and 6 verifiers 3 and 4: the appeal panel). */
const VERIFIER_1 = 1;
const VERIFIER_2 = 2;
const CONTRIBUTOR_1 = 3;
const CONTRIBUTOR_2 = 4;

export interface DemoSample {
  owner: number;
  fileName: string;
  fileType: "code" | "dataset" | "document";
  title: string;
  description: string;
  metadata: Record<string, unknown>;
  bytes: () => Buffer;
  /** Assigned verifiers' votes after the AI's, in order (the AI and two verifiers decide with the defaults). */
  votes: { voter: number; score: number; subScores: Record<string, number>; reasoning: string }[];
  /** The owner's appeal of the rejection: a fresh panel (the admin, verifiers 3 and 4) then reviews it. */
  appeal?: string;
  /** The demo admin's moderation hold, with its reason (halted content is withheld from the public). */
  hold?: { action: "pause" | "halt"; reason: string };
}

const text = (s: string) => () => Buffer.from(s, "utf8");

/**
 * One sample per status a visitor sees: verified (code, dataset: rewards pending), rejected with
 * reasons (a document its owner may still appeal), appealed (a dataset), verifying (a document with
 * sealed votes, open to more reviewers), pending (audio the AI cannot judge, waiting for people).
 */
export const DEMO_SAMPLES: readonly DemoSample[] = [
  {
    owner: CONTRIBUTOR_1,
    fileName: "moving_stats.py",
    fileType: "code",
    title: "Streaming statistics for sensor readings",
    description: "A small Python module: running mean and variance (Welford's algorithm) and a moving average over a stream of readings, with unit tests.",
    metadata: { language: "python", license: "MIT" },
    bytes: text(MOVING_STATS_PY),
    votes: [
      { voter: VERIFIER_1, score: 88, subScores: { quality: 90, originality: 70, security: 95, documentation: 85 }, reasoning: "Clear and small, with tests: Welford's update is right and the NaN case is handled and documented." },
      { voter: VERIFIER_2, score: 84, subScores: { quality: 85, originality: 65, security: 95, documentation: 80 }, reasoning: "Works as described; MovingAverage could say what it returns before the window fills." },
    ],
  },
  {
    owner: CONTRIBUTOR_2,
    fileName: "air-quality-hourly.csv",
    fileType: "dataset",
    title: "Hourly air quality at three stations",
    description: "Generated sample data for the demo: four days of hourly PM2.5, PM10, NO2, O3 (µg/m³) and temperature (°C) at three stations, with a daily traffic cycle.",
    metadata: { license: "CC0-1.0", rows: 288, generated: true },
    bytes: () => Buffer.from(airQualityCsv(), "utf8"),
    votes: [
      { voter: VERIFIER_1, score: 82, subScores: { quality: 85, originality: 60, utility: 80, documentation: 85 }, reasoning: "Consistent columns with units in the header, no gaps; clearly labelled as generated." },
      { voter: VERIFIER_2, score: 78, subScores: { quality: 80, originality: 55, utility: 75, documentation: 80 }, reasoning: "Tidy and typed. Station coordinates would make it more useful." },
    ],
  },
  {
    owner: CONTRIBUTOR_1,
    fileName: "release-checklist.md",
    fileType: "document",
    title: "Release checklist",
    description: "What to do before and after a release.",
    metadata: {},
    bytes: text(RELEASE_CHECKLIST_MD),
    votes: [
      { voter: VERIFIER_1, score: 30, subScores: { quality: 30, originality: 20, accuracy: 50, completeness: 15 }, reasoning: "Headings without the steps: 'tests' does not say which tests, or how to run them." },
      { voter: VERIFIER_2, score: 35, subScores: { quality: 35, originality: 25, accuracy: 50, completeness: 20 }, reasoning: "Too thin to follow. Add the commands and who signs off each step." },
    ],
  },
  {
    owner: CONTRIBUTOR_2,
    fileName: "bike-counts.csv",
    fileType: "dataset",
    title: "Daily bicycle counts, April",
    description: "Bicycles counted per day at two counters in April (generated sample data for the demo).",
    metadata: { license: "CC0-1.0", generated: true },
    bytes: () => Buffer.from(bikeCountsCsv(), "utf8"),
    votes: [
      { voter: VERIFIER_1, score: 40, subScores: { quality: 45, originality: 40, utility: 35, documentation: 20 }, reasoning: "Columns c1 and c2 are not explained (where, what unit), and c2 is missing every sixth day without a word why." },
      { voter: VERIFIER_2, score: 45, subScores: { quality: 50, originality: 40, utility: 40, documentation: 25 }, reasoning: "Readable, but unusable without knowing what the two counters are." },
    ],
    appeal: "c1 is the Harbour Bridge counter and c2 the Park Lane counter; both count bicycles per day in both directions. The gaps are the days the Park Lane counter was serviced.",
  },
  {
    owner: CONTRIBUTOR_2,
    fileName: "reviewing-guide.md",
    fileType: "document",
    title: "Reviewing contributions: a short guide",
    description: "For verifiers: what to check before voting, what the scores mean, and how to write a reason a contributor can act on.",
    metadata: { license: "CC-BY-4.0" },
    bytes: text(REVIEW_GUIDE_MD),
    votes: [{ voter: VERIFIER_1, score: 86, subScores: { quality: 85, originality: 75, accuracy: 90, completeness: 80 }, reasoning: "Short and practical; the score table is what new verifiers ask for." }],
  },
  {
    owner: CONTRIBUTOR_1,
    fileName: "tone-440hz.wav",
    fileType: "dataset",
    title: "Calibration tone, 440 Hz",
    description: "One second of a 440 Hz sine (8 kHz, 16-bit mono WAV), for checking audio pipelines end to end.",
    metadata: { license: "CC0-1.0", sample_rate_hz: 8000 },
    bytes: toneWav,
    votes: [],
  },
  {
    owner: CONTRIBUTOR_2,
    fileName: "station-coordinates.csv",
    fileType: "dataset",
    title: "Weather station coordinates",
    description: "Latitude, longitude and elevation of the stations the air-quality table names (generated for the demo).",
    metadata: { license: "CC0-1.0" },
    bytes: text(STATIONS_CSV),
    votes: [],
    hold: { action: "pause", reason: "Paused while the owner confirms where the coordinates come from." },
  },
  {
    owner: CONTRIBUTOR_1,
    fileName: "meetup-notes.md",
    fileType: "document",
    title: "Meetup notes with attendees' contacts",
    description: "Notes from a community meetup (generated for the demo).",
    metadata: { license: "CC-BY-4.0" },
    bytes: text(MEETUP_NOTES_MD),
    votes: [],
    hold: { action: "halt", reason: "Halted: it lists attendees' e-mail addresses without their consent. Withheld from the public; the owner may upload a redacted version." },
  },
];

