import { maxPoolSizePerInstance, poolSizeForHardware, recommendedPoolSize } from '../src/index.js';

describe('pool sizing', () => {
  test('per-instance ceiling is floor((max_connections − reserved) / instances)', () => {
    expect(
      maxPoolSizePerInstance({
        serverMaxConnections: 100,
        reservedConnections: 10,
        instances: 4,
      }),
    ).toBe(22);
    expect(
      maxPoolSizePerInstance({
        serverMaxConnections: 200,
        reservedConnections: 20,
        instances: 6,
      }),
    ).toBe(30);
  });

  test('a fleet the server cannot hold is refused', () => {
    expect(() =>
      maxPoolSizePerInstance({
        serverMaxConnections: 100,
        reservedConnections: 10,
        instances: 91,
      }),
    ).toThrow(RangeError);
    expect(() =>
      maxPoolSizePerInstance({
        serverMaxConnections: 100,
        reservedConnections: 10,
        instances: 0,
      }),
    ).toThrow(RangeError);
  });

  test('hardware guidance is cores × 2 + effective spindles', () => {
    expect(poolSizeForHardware({ cores: 8, effectiveSpindles: 1 })).toBe(17);
  });

  test('the recommendation shares the hardware guidance across instances, capped by the ceiling', () => {
    const budget = {
      serverMaxConnections: 100,
      reservedConnections: 10,
      instances: 4,
    };
    expect(recommendedPoolSize(budget, { cores: 8, effectiveSpindles: 1 })).toBe(5);
    expect(recommendedPoolSize({ ...budget, instances: 1 }, { cores: 64, effectiveSpindles: 0 })).toBe(90);
    expect(recommendedPoolSize({ ...budget, instances: 40 }, { cores: 2, effectiveSpindles: 0 })).toBe(1);
  });
});
