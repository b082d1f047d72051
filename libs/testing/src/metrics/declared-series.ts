/**
 * Every metric name a Prometheus text exposition declares (`# TYPE`), with a histogram's or summary's _bucket,
 * _sum and _count series: what an alert rule or a dashboard query may name and find.
 */
export function declaredSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

/** The series a PromQL expression selects: every name followed by a label matcher `{…}`. */
export function seriesNamedBy(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((match) => match[1]!);
}
