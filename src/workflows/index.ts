export { pauseUpdate, resumeUpdate, statusQuery, stopUpdate } from './messages.js';
export { tuningStudy } from './tuningStudy.js';
