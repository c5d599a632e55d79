package facefarm.deploy; final class Placeholder {}
