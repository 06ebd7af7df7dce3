// Methodology: static text; the shared script fills the footer.
import './common.js';
