// TEST-ONLY entry (renderer/mock.html): installs the mock API as if it were Electron's preload.
import { createMockApi } from './mockApi';

window.shirabe = createMockApi();
await import('../main');
