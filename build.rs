fn main() {
    tangle_rs::build_script::run()
}
