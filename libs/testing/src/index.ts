export type { PackageHarness } from './package-harness.js';
export {
  createIsolatedContext,
  type IsolatedContext,
  type IsolatedContextOptions,
} from './context/isolated-context.js';
export { useTestContext, type TestContext } from './context/use-test-context.js';
export { deleteKeysWithPrefix } from './context/redis-cleanup.js';
export { startTestServers, type TestServers } from './servers/test-servers.js';
export { freePort } from './servers/free-port.js';
export {
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type RunningServer,
} from './servers/postgres-server.js';
export {
  openReplicatedDatabase,
  postgresBinDir,
  ReplicationRefusedError,
  startReplicatedPostgres,
  startStreamingReplica,
  type ReplicatedDatabase,
  type ReplicatedPostgres,
  type StreamingReplica,
} from './servers/streaming-replica.js';
export { assertTestDatabaseName } from './database/database-names.js';
export { explainScans, type ScanSummary } from './database/explain-scans.js';
export { describeScans, executedScans, type ExecutedScan } from './database/plan-indexes.js';
export { sampleConnections } from './database/connection-sampler.js';
export { waitForQueuesIdle, type WaitForQueuesIdleOptions } from './queues/wait-for-queues-idle.js';
export {
  allIds,
  defineFinding,
  type Finding,
  type FindingContext,
  type FindingDefinition,
  type FindingKind,
  type Measurement,
  type Metric,
  type Variant,
} from './findings/finding.js';
export { defineFindingSuite, type FindingSuite } from './findings/finding-suite.js';
export {
  findingsOfPart,
  registerFindingTests,
  type FindingsPart,
} from './findings/register-finding-tests.js';
export {
  runFlawPutBack,
  runMeasurement,
  type FlawPutBackResult,
  type VariantResult,
} from './findings/run-measurement.js';
export { discoverFindingSuites, type DiscoveredSuite } from './findings/discover-suites.js';
export { runFindings, type FindingResult } from './findings/run-findings.js';
export {
  formatNumber,
  improvementRatio,
  verdict,
  formatVariant,
  formatFlawsPutBack,
} from './findings/format-result.js';
export { renderFindingsMarkdown } from './findings/findings-markdown.js';
export { renderFindingsHtml } from './findings/findings-html.js';
export { defineBench, type Bench, type BenchResult, type BenchValue } from './bench/bench.js';
export { discoverBenchFiles, runBench, type BenchOutcome } from './bench/run-benches.js';
export { benchNiceSetting, benchSetting, percentile } from './bench/bench-settings.js';
export { randomSampleByGroup } from './bench/random-sample.js';
export {
  BenchChild,
  childJob,
  nextParentMessage,
  roundsAtParentCommand,
  tellParent,
  type BenchChildOptions,
} from './bench/bench-child.js';
export {
  AppProcess,
  spawnAppProcess,
  type AppProcessOptions,
  type ExitStatus,
  type SpawnAppProcessOptions,
} from './process/app-process.js';
export { declaredSeries, seriesNamedBy } from './metrics/declared-series.js';
export { bucketBounds, histogramQuantile, samples, total, type Sample } from './metrics/metrics-text.js';
export { httpLoad, type HttpLoadOptions, type HttpLoadResult } from './load/http-load.js';
export {
  poolSaturationDetails,
  saturatePool,
  type PoolSaturation,
  type PoolSaturationOptions,
} from './load/pool-saturation.js';
export {
  openWebSocketSwarm,
  type WebSocketSwarm,
  type WebSocketSwarmOptions,
} from './load/websocket-swarm.js';
export { renderFindingsLedger } from './findings/findings-ledger.js';
export { waitUntil } from './queues/wait-until.js';
export { compileWithPlugs, type ProviderPlug } from './nest/compile-with-plugs.js';
export { startWorkerContext, type TestWorker } from './nest/start-worker-context.js';
export { API_ERROR_BODY_SCHEMA } from './fuzz/api-error-body.schema.js';
export {
  fuzzHttpApi,
  summarizeFailures,
  type HttpFuzzFailure,
  type HttpFuzzOptions,
  type HttpFuzzReport,
} from './fuzz/fuzz-http-api.js';
export { DEFAULT_FUZZ_SEED, fuzzSettings, type FuzzSettings } from './fuzz/fuzz-settings.js';
export {
  HOSTILE_MESSAGE_KINDS,
  hostileMessageArbitrary,
  type HostileMessage,
  type HostileMessageKind,
} from './fuzz/hostile-message.arbitrary.js';
export {
  BAD_DATES,
  BAD_UUIDS,
  DEEP_NESTING_DEPTHS,
  hasLoneSurrogate,
  HOSTILE_VALUE_KINDS,
  hostileValueArbitrary,
  HUGE_NUMBERS,
  HUGE_STRING_LENGTHS,
  nestedValue,
  protoKeyObject,
  wrongTypeArbitrary,
  type HostileValue,
  type HostileValueKind,
} from './fuzz/hostile-value.arbitrary.js';
export {
  encodeUrlParameter,
  httpRequestArbitrary,
  type FuzzRequest,
  type HttpRequestArbitraryOptions,
} from './fuzz/http-request.arbitrary.js';
export { resolveSchema, type JsonSchema, type SchemaRoot } from './fuzz/json-schema.js';
export { MALFORMED_JSON_TEXTS, malformedJsonTextArbitrary } from './fuzz/malformed-json.js';
export {
  listOperations,
  type FuzzOperation,
  type OpenApiDocument,
  type OpenApiParameter,
} from './fuzz/openapi-operations.js';
export { createSchemaValidator, type SchemaValidator } from './fuzz/schema-validator.js';
export { validValueArbitrary } from './fuzz/valid-value.arbitrary.js';
export { socketFrameArbitrary, type FuzzFrame } from './fuzz/socket-frame.arbitrary.js';
export { RestartableRedisServer, type RestartableRedisOptions } from './servers/restartable-redis-server.js';
export {
  formatCpuProfileSummary,
  packageOf,
  summarizeCpuProfile,
  type CpuProfile,
  type CpuProfileSummary,
  type CpuShare,
} from './profiling/cpu-profile-summary.js';
export { cpuSecondsOfMainThread, cpuSecondsOfProcesses } from './profiling/process-cpu.js';
export {
  PaymentProviderEmulator,
  type EmulatedCharge,
  type PaymentFault,
  type PaymentProviderEmulatorOptions,
} from './servers/payment-provider-emulator.js';
export {
  TranslationProviderEmulator,
  type ProviderServerError,
  type TranslationCallRecord,
  type TranslationProviderApi,
  type TranslationProviderEmulatorOptions,
} from './servers/translation-provider/translation-provider-emulator.js';
export {
  fakeTranslation,
  codePoints,
  type EmulatedGlossary,
} from './servers/translation-provider/fake-translation.js';
export {
  latencySampler,
  type LatencyDistribution,
} from './servers/translation-provider/latency-distribution.js';
export {
  GOOGLE_MAX_CODE_POINTS,
  GOOGLE_MAX_SEGMENTS,
} from './servers/translation-provider/google-v3-dialect.js';
export { DEEPL_MAX_BODY_BYTES, DEEPL_MAX_TEXTS } from './servers/translation-provider/deepl-v2-dialect.js';
export {
  PushProviderEmulator,
  type PushFault,
  type PushProviderEmulatorOptions,
  type PushRateLimit,
} from './servers/push-provider-emulator.js';
export { K8S_ROOT, renderKustomization, type KubeObject, type KubeResource } from './k8s/kustomize.js';
export { appsInTree, librarySource, readAppSource, REPO_ROOT, type AppSource } from './k8s/app-source.js';
export {
  autoscalingProblems,
  containerProblems,
  deployments,
  disruptionProblems,
  entryProblems,
  environmentProblems,
  LIBRARY_METRICS,
  metricProblems,
  poolProblems,
  probeProblems,
  MIN_SCALE_DOWN_WINDOW_SECONDS,
  SHUTDOWN_MARGIN_SECONDS,
  shutdownProblems,
  type AdapterConfig,
  type AppManifests,
} from './k8s/manifest-checks.js';
export {
  SpeechToTextEmulator,
  type RecognitionCallRecord,
  type RecognitionResult,
  type SpeechToTextEmulatorOptions,
  type SpokenSentence,
} from './servers/speech-to-text/speech-to-text-emulator.js';
export {
  oggPages,
  synthesiseSpeech,
  type SynthesisedSpeech,
} from './servers/speech-to-text/synthesise-speech.js';
export {
  WebSocketTestClient,
  type Frame,
  type WebSocketTestClientOptions,
} from './websocket/websocket-test-client.js';
export { launchChromium } from './browser/launch-chromium.js';
