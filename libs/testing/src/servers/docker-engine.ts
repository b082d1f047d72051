// testcontainers is the last resort: only when no server answers and a Docker engine exists.
// getContainerRuntimeClient() rejects within milliseconds when there is no engine (DESIGN §8).
export async function dockerEngineAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
