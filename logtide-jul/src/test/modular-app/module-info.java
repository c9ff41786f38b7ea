// A new user's application: one requires for LogTide, as the README says.
module app {
    requires dev.logtide.jul;
}
