// How the browser tests (webgpu's headless check, the docs site) start Debian's Chromium with WebGPU on
// SwiftShader, so that they run the same way on a machine without a GPU.
// https://chromium.googlesource.com/chromium/src/+/main/docs/gpu/swiftshader.md

/** Debian's Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium with WebGPU on SwiftShader's Vulkan, no network chatter. */
export const CHROMIUM_WEBGPU_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
