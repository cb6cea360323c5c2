#include "generator/names.h"

#include <array>

namespace rosterd::generator::names {
namespace {

using namespace std::string_view_literals;

constexpr std::array surname_table{
    "Иванов"sv,     "Смирнов"sv,    "Кузнецов"sv,   "Попов"sv,      "Васильев"sv,   "Петров"sv,
    "Соколов"sv,    "Михайлов"sv,   "Новиков"sv,    "Фёдоров"sv,    "Морозов"sv,    "Волков"sv,
    "Алексеев"sv,   "Лебедев"sv,    "Семёнов"sv,    "Егоров"sv,     "Павлов"sv,     "Козлов"sv,
    "Степанов"sv,   "Николаев"sv,   "Орлов"sv,      "Андреев"sv,    "Макаров"sv,    "Никитин"sv,
    "Захаров"sv,    "Зайцев"sv,     "Соловьёв"sv,   "Борисов"sv,    "Яковлев"sv,    "Григорьев"sv,
    "Романов"sv,    "Воробьёв"sv,   "Сергеев"sv,    "Кузьмин"sv,    "Фролов"sv,     "Александров"sv,
    "Дмитриев"sv,   "Королёв"sv,    "Гусев"sv,      "Киселёв"sv,    "Ильин"sv,      "Максимов"sv,
    "Поляков"sv,    "Сорокин"sv,    "Виноградов"sv, "Ковалёв"sv,    "Белов"sv,      "Медведев"sv,
    "Антонов"sv,    "Тарасов"sv,    "Жуков"sv,      "Баранов"sv,    "Филиппов"sv,   "Комаров"sv,
    "Давыдов"sv,    "Беляев"sv,     "Герасимов"sv,  "Богданов"sv,   "Осипов"sv,     "Сидоров"sv,
    "Матвеев"sv,    "Титов"sv,      "Марков"sv,     "Миронов"sv,    "Крылов"sv,     "Куликов"sv,
    "Карпов"sv,     "Власов"sv,     "Мельников"sv,  "Денисов"sv,    "Гаврилов"sv,   "Тихонов"sv,
    "Казаков"sv,    "Афанасьев"sv,  "Данилов"sv,    "Савельев"sv,   "Тимофеев"sv,   "Фомин"sv,
    "Чернов"sv,     "Абрамов"sv,    "Мартынов"sv,   "Ефимов"sv,     "Федотов"sv,    "Щербаков"sv,
    "Назаров"sv,    "Калинин"sv,    "Исаев"sv,      "Чернышёв"sv,   "Быков"sv,      "Маслов"sv,
    "Родионов"sv,   "Коновалов"sv,  "Лазарев"sv,    "Воронин"sv,    "Климов"sv,     "Филатов"sv,
    "Пономарёв"sv,  "Голубев"sv,    "Кудрявцев"sv,  "Прохоров"sv,   "Наумов"sv,     "Потапов"sv,
    "Журавлёв"sv,   "Трофимов"sv,   "Леонов"sv,     "Соболев"sv,    "Ермаков"sv,    "Колесников"sv,
    "Гончаров"sv,   "Емельянов"sv,  "Никифоров"sv,  "Грачёв"sv,     "Котов"sv,      "Гришин"sv,
    "Ефремов"sv,    "Архипов"sv,    "Громов"sv,     "Кириллов"sv,   "Малышев"sv,    "Панов"sv,
    "Моисеев"sv,    "Румянцев"sv,   "Акимов"sv,     "Кондратьев"sv, "Бирюков"sv,    "Горбунов"sv,
    "Анисимов"sv,   "Ерёмин"sv,     "Тихомиров"sv,  "Галкин"sv,     "Лукьянов"sv,   "Михеев"sv,
    "Скворцов"sv,   "Юдин"sv,       "Белоусов"sv,   "Нестеров"sv,   "Симонов"sv,    "Прокофьев"sv,
    "Харитонов"sv,  "Князев"sv,     "Цветков"sv,    "Левин"sv,      "Воронов"sv,    "Аксёнов"sv,
    "Мальцев"sv,    "Логинов"sv,    "Горшков"sv,    "Савин"sv,      "Краснов"sv,    "Майоров"sv,
    "Демидов"sv,    "Елисеев"sv,    "Рыбаков"sv,    "Сафонов"sv,    "Плотников"sv,  "Хохлов"sv,
    "Жданов"sv,     "Черных"sv,     "Коваленко"sv,  "Шевченко"sv,   "Бондаренко"sv, "Островский"sv,
    "Покровский"sv, "Вишневский"sv, "Долгих"sv,     "Седых"sv,
};

constexpr std::array male_table{
    MaleName{"Александр", "Александрович", "Александровна"},
    MaleName{"Алексей", "Алексеевич", "Алексеевна"},
    MaleName{"Андрей", "Андреевич", "Андреевна"},
    MaleName{"Артём", "Артёмович", "Артёмовна"},
    MaleName{"Владимир", "Владимирович", "Владимировна"},
    MaleName{"Дмитрий", "Дмитриевич", "Дмитриевна"},
    MaleName{"Евгений", "Евгеньевич", "Евгеньевна"},
    MaleName{"Иван", "Иванович", "Ивановна"},
    MaleName{"Игорь", "Игоревич", "Игоревна"},
    MaleName{"Кирилл", "Кириллович", "Кирилловна"},
    MaleName{"Максим", "Максимович", "Максимовна"},
    MaleName{"Михаил", "Михайлович", "Михайловна"},
    MaleName{"Никита", "Никитич", "Никитична"},
    MaleName{"Николай", "Николаевич", "Николаевна"},
    MaleName{"Олег", "Олегович", "Олеговна"},
    MaleName{"Павел", "Павлович", "Павловна"},
    MaleName{"Роман", "Романович", "Романовна"},
    MaleName{"Сергей", "Сергеевич", "Сергеевна"},
    MaleName{"Денис", "Денисович", "Денисовна"},
    MaleName{"Антон", "Антонович", "Антоновна"},
    MaleName{"Виктор", "Викторович", "Викторовна"},
    MaleName{"Юрий", "Юрьевич", "Юрьевна"},
    MaleName{"Илья", "Ильич", "Ильинична"},
    MaleName{"Матвей", "Матвеевич", "Матвеевна"},
    MaleName{"Тимофей", "Тимофеевич", "Тимофеевна"},
    MaleName{"Егор", "Егорович", "Егоровна"},
    MaleName{"Марк", "Маркович", "Марковна"},
    MaleName{"Лев", "Львович", "Львовна"},
    MaleName{"Фёдор", "Фёдорович", "Фёдоровна"},
    MaleName{"Константин", "Константинович", "Константиновна"},
    MaleName{"Василий", "Васильевич", "Васильевна"},
    MaleName{"Григорий", "Григорьевич", "Григорьевна"},
};

constexpr std::array female_table{
    "Анна"sv,      "Мария"sv,  "Елена"sv,     "Ольга"sv,    "Наталья"sv,    "Татьяна"sv,
    "Екатерина"sv, "Ирина"sv,  "Светлана"sv,  "Юлия"sv,     "Анастасия"sv,  "Дарья"sv,
    "Полина"sv,    "Софья"sv,  "Алиса"sv,     "Виктория"sv, "Ксения"sv,     "Варвара"sv,
    "Вероника"sv,  "Милана"sv, "Ева"sv,       "Арина"sv,    "Александра"sv, "Марина"sv,
    "Людмила"sv,   "Галина"sv, "Валентина"sv, "Кира"sv,     "Василиса"sv,   "Ульяна"sv,
};

constexpr std::array kindergarten_table{
    "Солнышко"sv, "Колокольчик"sv, "Ромашка"sv, "Звёздочка"sv, "Теремок"sv, "Капелька"sv,
    "Лучики"sv,   "Непоседы"sv,    "Улыбка"sv,  "Радуга"sv,    "Пчёлка"sv,  "Гномики"sv,
};

constexpr std::array association_table{
    "Робототехника"sv,    "Шахматы"sv,      "Хореография"sv,   "Изостудия"sv,
    "Юный программист"sv, "Вокал"sv,        "Футбол"sv,        "Театральная студия"sv,
    "Английский клуб"sv,  "Юные экологи"sv, "Моделирование"sv, "Журналистика"sv,
};

constexpr std::array letter_table{"А"sv, "Б"sv, "В"sv, "Г"sv, "Д"sv,
                                  "Е"sv, "Ж"sv, "З"sv, "И"sv, "К"sv};
constexpr std::array letter_latin_table{"a"sv, "b"sv,  "v"sv, "g"sv, "d"sv,
                                        "e"sv, "zh"sv, "z"sv, "i"sv, "k"sv};

}  // namespace

std::span<const std::string_view> surnames() {
  return surname_table;
}
std::span<const MaleName> male_names() {
  return male_table;
}
std::span<const std::string_view> female_names() {
  return female_table;
}
std::span<const std::string_view> kindergarten_groups() {
  return kindergarten_table;
}
std::span<const std::string_view> associations() {
  return association_table;
}
std::span<const std::string_view> class_letters() {
  return letter_table;
}
std::span<const std::string_view> class_letters_latin() {
  return letter_latin_table;
}

std::string feminine_surname(std::string_view masculine) {
  const std::string s{masculine};
  for (std::string_view suffix : {"ов"sv, "ев"sv, "ёв"sv, "ин"sv, "ын"sv}) {
    if (masculine.ends_with(suffix)) return s + "а";
  }
  if (masculine.ends_with("ский"sv)) return s.substr(0, s.size() - "ий"sv.size()) + "ая";
  return s;
}

}  // namespace rosterd::generator::names
