package example;

public class App {
  public static void main(String[] args) {
    System.out.println("built on a pinned base image");
  }
}
