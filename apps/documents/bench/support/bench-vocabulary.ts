/**
 * Words the search bench writes documents with: meeting prose in the languages an organisation writes in. A
 * word is drawn with a skew (the square of a uniform draw picks the first words most), so some words are in
 * most documents and some in few, as in real text.
 */
export const BENCH_WORDS = (
  'the and meeting notes agenda action owner decision budget review draft minutes follow team project plan ' +
  'quarter report customer release roadmap design risk deadline status update contract invoice hiring ' +
  'onboarding security incident retrospective launch pricing partner feedback survey training workshop ' +
  'reunion ordre du jour décision budget compte rendu équipe projet réunion calendrier ' +
  'besprechung protokoll entscheidung haushalt termin aufgabe projekt bericht kunde vertrag ' +
  'reunión acta decisión presupuesto equipo proyecto informe cliente contrato plazo ' +
  'translation glossary terminology localisation subtitles interpreter transcript speaker session ' +
  'warehouse logistics shipment supplier procurement compliance audit governance privacy retention ' +
  'architecture database migration latency throughput capacity outage postmortem escalation'
).split(' ');

/** `count` words drawn with the bench's skew, joined by spaces. */
export function benchWords(count: number): string {
  const words: string[] = [];
  for (let index = 0; index < count; index += 1)
    words.push(BENCH_WORDS[Math.floor(Math.random() ** 2 * BENCH_WORDS.length)]!);
  return words.join(' ');
}

/** The same draw in SQL, for bulk seeding: `count` words (an expression that may name the row's columns). */
export function benchWordsSql(count: string): string {
  const list = BENCH_WORDS.map((word) => `'${word.replace(/'/g, "''")}'`).join(',');
  return `(SELECT string_agg((ARRAY[${list}])[1 + floor(random() ^ 2 * ${BENCH_WORDS.length})::int], ' ')
             FROM generate_series(1, ${count}))`;
}
