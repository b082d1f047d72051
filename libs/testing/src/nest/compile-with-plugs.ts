import type {
  ClassProvider,
  DynamicModule,
  FactoryProvider,
  Type,
  ValueProvider,
} from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';

/**
 * One provider of the real module replaced for a measurement: how a finding plugs the review's design (a
 * kata class implementing the same interface) into the service's seam, so the flawed and remediated runs
 * take the same path and differ only there.
 */
export type ProviderPlug = ClassProvider | ValueProvider | FactoryProvider;

/**
 * Compiles `module` with each plug in place of the provider it names. With no plugs it is the module as
 * production builds it; both variants of a proof should boot through here so that is the only difference.
 */
export async function compileWithPlugs(
  module: DynamicModule | Type,
  plugs: readonly ProviderPlug[] = [],
): Promise<TestingModule> {
  let builder = Test.createTestingModule({ imports: [module] });
  for (const plug of plugs) {
    const override = builder.overrideProvider(plug.provide);
    if ('useValue' in plug) builder = override.useValue(plug.useValue);
    else if ('useClass' in plug) builder = override.useClass(plug.useClass);
    else builder = override.useFactory({ factory: plug.useFactory, inject: plug.inject ?? [] });
  }
  return builder.compile();
}
