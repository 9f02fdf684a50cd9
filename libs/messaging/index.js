// Runtime entry of @shelfwatch/messaging: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/messaging/src/index.js');
